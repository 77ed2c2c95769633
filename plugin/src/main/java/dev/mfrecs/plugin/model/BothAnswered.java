package dev.mfrecs.plugin.model;

import org.elasticsearch.action.ActionListener;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Sends two asynchronous reads at once and continues when both have answered, with each one's value or failure, so a
 * query's lookups that do not depend on each other cost one round trip instead of two. Each read's listener counts once even
 * if it is (wrongly) completed twice, and an exception thrown by the continuation fails the final listener instead of being
 * lost, so the final listener is completed exactly once.
 */
public final class BothAnswered {

    /** What one read answered: a value, or the failure. */
    public record Outcome<T>(T value, Exception failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    /** What to do once both reads answered; it completes {@code listener} (or throws, which fails it). */
    @FunctionalInterface
    public interface Then<A, B, R> {
        void accept(Outcome<A> a, Outcome<B> b, ActionListener<R> listener) throws Exception;
    }

    private BothAnswered() {}

    public static <A, B, R> void run(Consumer<ActionListener<A>> first, Consumer<ActionListener<B>> second, ActionListener<R> listener,
                              Then<A, B, R> then) {
        AtomicReference<Outcome<A>> a = new AtomicReference<>();
        AtomicReference<Outcome<B>> b = new AtomicReference<>();
        AtomicInteger pending = new AtomicInteger(2);
        Runnable join = () -> {
            if (pending.decrementAndGet() == 0) {
                ActionListener.run(listener, l -> then.accept(a.get(), b.get(), l));
            }
        };
        first.accept(ActionListener.notifyOnce(ActionListener.wrap(v -> {
            a.set(new Outcome<>(v, null));
            join.run();
        }, e -> {
            a.set(new Outcome<>(null, e));
            join.run();
        })));
        second.accept(ActionListener.notifyOnce(ActionListener.wrap(v -> {
            b.set(new Outcome<>(v, null));
            join.run();
        }, e -> {
            b.set(new Outcome<>(null, e));
            join.run();
        })));
    }
}
