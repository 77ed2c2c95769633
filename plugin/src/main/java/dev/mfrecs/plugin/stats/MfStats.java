package dev.mfrecs.plugin.stats;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the plugin did on this node since it started, for {@code GET _mf/_stats}: requests, failures and latency per API, how
 * users were resolved (a stored vector, a stored user folded in again with fresh events, folded in from an inline history or from
 * the interactions index, nothing usable), how
 * often {@code mf_recommend} fell back to the popular ranking, and the model metadata cache's hits and misses. Counters only
 * grow; one instance per node, owned by {@code MfServices}, so two nodes of a test cluster never share counts.
 * <p>
 * Latency is the plugin's own part of a request: for the queries ({@code mf_recommend}, {@code mf_similar}, {@code mf_user}) the
 * coordinating rewrite's lookups and fold-in, up to the moment the query vector is known (the kNN search that follows is
 * Elasticsearch's and is in the search's own {@code took}); for the {@code _mf} REST APIs the whole action.
 */
public final class MfStats {

    /** The APIs counted, by the names a user sees (query names, or the REST API's name). */
    public enum Api {
        MF_RECOMMEND,
        MF_SIMILAR,
        MF_USER,
        FOLD_IN,
        EXPLAIN,
        GET_MODEL,
        LIST_MODELS,
        ROLLBACK,
        UNPIN,
        DELETE_MODEL_VERSION,
        DELETE_MODEL;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a user was turned into a vector. */
    public enum UserOutcome {
        /** A trained user's stored vector. */
        STORED,
        /** A trained user with events since the model's cut-off, folded in again from their whole history. */
        FRESH,
        /** A history given in the request, folded in. */
        FOLDED_FROM_HISTORY,
        /** A user the model was not trained on, folded in from their events. */
        FOLDED_FROM_INTERACTIONS,
        /** Nothing usable: no stored vector, no events, no known item. */
        EMPTY;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The outcome for a resolved user's {@code source} ({@code stored}, {@code stored+events}, {@code history},
         * {@code interactions}).
         */
        public static UserOutcome of(String source, boolean empty) {
            if (empty) {
                return EMPTY;
            }
            return switch (source) {
                case "stored" -> STORED;
                case "stored+events" -> FRESH;
                case "history" -> FOLDED_FROM_HISTORY;
                default -> FOLDED_FROM_INTERACTIONS;
            };
        }
    }

    private final Map<Api, LongAdder> requests = new EnumMap<>(Api.class);
    private final Map<Api, LongAdder> failures = new EnumMap<>(Api.class);
    private final Map<Api, LatencyHistogram> latency = new EnumMap<>(Api.class);
    private final Map<UserOutcome, LongAdder> users = new EnumMap<>(UserOutcome.class);
    private final LongAdder fallbacksToPopular = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();

    public MfStats() {
        for (Api api : Api.values()) {
            requests.put(api, new LongAdder());
            failures.put(api, new LongAdder());
            latency.put(api, new LatencyHistogram());
        }
        for (UserOutcome o : UserOutcome.values()) {
            users.put(o, new LongAdder());
        }
    }

    /**
     * Counts a request of {@code api} now and wraps its listener: the answer records the latency since this call, a failure
     * also counts as failed.
     */
    public <T> ActionListener<T> track(Api api, ActionListener<T> listener) {
        requests.get(api).increment();
        long start = System.nanoTime();
        return ActionListener.runBefore(listener.delegateResponse((l, e) -> {
            failures.get(api).increment();
            l.onFailure(e);
        }), () -> latency.get(api).record((System.nanoTime() - start) / 1_000));
    }

    public void user(UserOutcome outcome) {
        users.get(outcome).increment();
    }

    public void fallbackToPopular() {
        fallbacksToPopular.increment();
    }

    public void metadataCacheHit() {
        cacheHits.increment();
    }

    public void metadataCacheMiss() {
        cacheMisses.increment();
    }

    public Snapshot snapshot() {
        Map<String, ApiStats> apis = new LinkedHashMap<>();
        for (Api api : Api.values()) {
            apis.put(api.id(), new ApiStats(requests.get(api).sum(), failures.get(api).sum(), latency.get(api).snapshot()));
        }
        Map<String, Long> userCounts = new LinkedHashMap<>();
        for (UserOutcome o : UserOutcome.values()) {
            userCounts.put(o.id(), users.get(o).sum());
        }
        return new Snapshot(apis, userCounts, fallbacksToPopular.sum(), cacheHits.sum(), cacheMisses.sum());
    }

    /** One API's counts and latency percentiles (microseconds). */
    public record ApiStats(long count, long failed, LatencyHistogram.Snapshot latency) {}

    /** The counters at one moment, as a node sends them to the node that answers {@code GET _mf/_stats}. */
    public record Snapshot(Map<String, ApiStats> requests, Map<String, Long> users, long fallbacksToPopular, long metadataCacheHits,
                           long metadataCacheMisses) implements Writeable, ToXContentFragment {

        public static Snapshot readFrom(StreamInput in) throws IOException {
            Map<String, ApiStats> apis = in.readOrderedMap(StreamInput::readString, i -> new ApiStats(i.readVLong(), i.readVLong(),
                new LatencyHistogram.Snapshot(i.readVLong(), i.readVLong(), i.readVLong(), i.readVLong(), i.readVLong())));
            Map<String, Long> users = in.readOrderedMap(StreamInput::readString, StreamInput::readVLong);
            return new Snapshot(apis, users, in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeMap(requests, StreamOutput::writeString, (o, a) -> {
                o.writeVLong(a.count());
                o.writeVLong(a.failed());
                o.writeVLong(a.latency().count());
                o.writeVLong(a.latency().p50());
                o.writeVLong(a.latency().p95());
                o.writeVLong(a.latency().p99());
                o.writeVLong(a.latency().max());
            });
            out.writeMap(users, StreamOutput::writeString, StreamOutput::writeVLong);
            out.writeVLong(fallbacksToPopular);
            out.writeVLong(metadataCacheHits);
            out.writeVLong(metadataCacheMisses);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject("requests");
            for (Map.Entry<String, ApiStats> e : requests.entrySet()) {
                ApiStats a = e.getValue();
                builder.startObject(e.getKey());
                builder.field("count", a.count());
                builder.field("failed", a.failed());
                builder.startObject("latency_ms");
                builder.field("p50", a.latency().p50() / 1000.0);
                builder.field("p95", a.latency().p95() / 1000.0);
                builder.field("p99", a.latency().p99() / 1000.0);
                builder.field("max", a.latency().max() / 1000.0);
                builder.endObject();
                builder.endObject();
            }
            builder.endObject();
            builder.startObject("users");
            for (Map.Entry<String, Long> e : users.entrySet()) {
                builder.field(e.getKey(), e.getValue());
            }
            builder.endObject();
            builder.field("fallbacks_to_popular", fallbacksToPopular);
            builder.startObject("metadata_cache");
            builder.field("hits", metadataCacheHits);
            builder.field("misses", metadataCacheMisses);
            builder.endObject();
            return builder;
        }
    }
}
