package dev.mfrecs.plugin.model;

import org.elasticsearch.action.ActionListener;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Sends two asynchronous reads at once and continues when both have answered, with each one's value or failure, so a
 * query's lookups that do not depend on each other cost one round trip instead of two.
 */
final class BothAnswered {

    /** What one read answered: a value, or the failure. */
    record Outcome<T>(T value, Exception failure) {
        boolean failed() {
            return failure != null;
        }
    }

    private BothAnswered() {}

    static <A, B> void run(Consumer<ActionListener<A>> first, Consumer<ActionListener<B>> second, BiConsumer<Outcome<A>, Outcome<B>> then) {
        AtomicReference<Outcome<A>> a = new AtomicReference<>();
        AtomicReference<Outcome<B>> b = new AtomicReference<>();
        AtomicInteger pending = new AtomicInteger(2);
        Runnable join = () -> {
            if (pending.decrementAndGet() == 0) {
                then.accept(a.get(), b.get());
            }
        };
        first.accept(ActionListener.wrap(v -> {
            a.set(new Outcome<>(v, null));
            join.run();
        }, e -> {
            a.set(new Outcome<>(null, e));
            join.run();
        }));
        second.accept(ActionListener.wrap(v -> {
            b.set(new Outcome<>(v, null));
            join.run();
        }, e -> {
            b.set(new Outcome<>(null, e));
            join.run();
        }));
    }
}
