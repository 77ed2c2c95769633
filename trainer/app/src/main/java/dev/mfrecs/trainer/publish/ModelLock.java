package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch.core.GetResponse;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelLockDocument;
import dev.mfrecs.trainer.es.JsonDocument;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A model's lease ({@link ModelLockDocument}) held by this process while it changes the model: two trainers never publish one
 * model at once, and a rollback or delete never races a publish. The lease is short (two minutes by default) and renewed by a
 * heartbeat (every 30 seconds), so a trainer killed with SIGKILL blocks the next run for at most the lease, and a long run keeps
 * it as long as it is alive. Every write is conditional on the document's {@code _seq_no}/{@code _primary_term}; the holder
 * calls {@link #fence()} (a conditional renewal) right before every step that changes what is served (the alias swap, each
 * delete), so a holder that was paused past its lease and taken over stops instead of undoing the new holder's work. The
 * lock is only ever read by a realtime GET, so its writes do not wait for a refresh.
 */
public final class ModelLock implements AutoCloseable {

    /** How long a lease lasts and how often its holder renews it. */
    public record Lease(Duration ttl, Duration renewEvery) {
        public static final Lease DEFAULT = new Lease(Duration.ofMinutes(2), Duration.ofSeconds(30));
        /**
         * Test-only: {@code -Dmfrecs.test.lease=TTL/RENEW} in seconds (e.g. {@code 4/1}) shortens the lease of every command, so
         * the failure-injection tests outlive a killed or frozen holder's lease in seconds instead of minutes. Unset in
         * production, where {@link #configured()} is {@link #DEFAULT}.
         */
        public static final String TEST_PROPERTY = "mfrecs.test.lease";

        public Lease {
            if (ttl.isNegative() || ttl.isZero() || renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("a lease needs 0 < renewEvery < ttl, got [" + renewEvery + "] and [" + ttl + "]");
            }
        }

        /** The lease the commands use: {@link #DEFAULT} unless the test-only {@value #TEST_PROPERTY} is set. */
        public static Lease configured() {
            String value = System.getProperty(TEST_PROPERTY);
            if (value == null) {
                return DEFAULT;
            }
            String[] parts = value.split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("[" + TEST_PROPERTY + "] must be TTL/RENEW in seconds, got [" + value + "]");
            }
            return new Lease(Duration.ofSeconds(Long.parseLong(parts[0].trim())), Duration.ofSeconds(Long.parseLong(parts[1].trim())));
        }
    }

    /** Another live process holds the model's lease. */
    public static final class HeldException extends IllegalStateException {
        public HeldException(String message) {
            super(message);
        }
    }

    /** This process no longer holds the lease (it expired and was taken over, or an operator removed it). */
    public static final class LostException extends IllegalStateException {
        public LostException(String message) {
            super(message);
        }
    }

    private final ElasticsearchClient client;
    private final String model;
    private final String id;
    private final Lease lease;
    private final ProgressLog log;
    private final ScheduledExecutorService heartbeat;
    private ModelLockDocument held;
    private long seqNo;
    private long primaryTerm;
    private boolean lost;

    private ModelLock(ElasticsearchClient client, String model, Lease lease, ProgressLog log) {
        this.client = client;
        this.model = model;
        this.id = ModelLockDocument.id(model);
        this.lease = lease;
        this.log = log;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mfrecs-lock-heartbeat-" + model);
            t.setDaemon(true);
            return t;
        });
    }

    /** Who this process is, for the lock's {@code owner}: host and pid, plus a random id per lock. */
    static String owner() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    }

    /**
     * Takes the lease on {@code model} for {@code purpose}, or throws {@link HeldException} naming the holder. The metadata index
     * is created with the contract's mapping first: the lock may be the first document a cluster ever gets (a {@code models}
     * command, a benchmark), and a lock document indexed into a missing index would create it with dynamic mappings
     * ({@code owner} as text) that the contract's mapping can never replace, failing every later run.
     */
    public static ModelLock acquire(ElasticsearchClient client, String model, String purpose, Lease lease, ProgressLog log)
        throws IOException {
        new VersionManager(client, log).ensureIndices();
        ModelLock lock = new ModelLock(client, model, lease, log);
        lock.take(purpose);
        lock.heartbeat.scheduleWithFixedDelay(lock::renewQuietly, lease.renewEvery().toMillis(), lease.renewEvery().toMillis(),
            TimeUnit.MILLISECONDS);
        return lock;
    }

    private void take(String purpose) throws IOException {
        Instant now = Instant.now();
        ModelLockDocument mine = new ModelLockDocument(model, owner(), purpose, now, now, now.plus(lease.ttl()));
        try {
            var r = client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(JsonDocument.of(mine.toMap()))
                .opType(OpType.Create));
            holding(mine, r.seqNo(), r.primaryTerm());
            return;
        } catch (ElasticsearchException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
        @SuppressWarnings("rawtypes")
        GetResponse<Map> current = client.get(g -> g.index(ModelIndices.METADATA_INDEX).id(id), Map.class);
        if (current.found() == false) {
            take(purpose);
            return;
        }
        @SuppressWarnings("unchecked")
        ModelLockDocument other = ModelLockDocument.fromMap(id, current.source());
        if (other.expiredAt(Instant.now()) == false) {
            throw new HeldException("model [" + model + "] is locked by [" + other.owner() + "] (" + other.purpose() + ") until ["
                + other.expires() + "]; if that process is gone, the lock expires by itself, or run: models unlock " + model);
        }
        try {
            var r = client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(JsonDocument.of(mine.toMap()))
                .ifSeqNo(current.seqNo()).ifPrimaryTerm(current.primaryTerm()));
            log.step("took over the expired lock of model [" + model + "] from [" + other.owner() + "] (expired [" + other.expires()
                + "])");
            holding(mine, r.seqNo(), r.primaryTerm());
        } catch (ElasticsearchException e) {
            if (e.status() == 409) {
                throw new HeldException("model [" + model + "]: another process took over the expired lock first");
            }
            throw e;
        }
    }

    private synchronized void holding(ModelLockDocument doc, long seq, long term) {
        this.held = doc;
        this.seqNo = seq;
        this.primaryTerm = term;
    }

    /**
     * Renews the lease now with a write conditional on the last one; throws {@link LostException} if the lease is no longer this
     * process's. Called right before every change to what is served, it is the fencing check: after it succeeds the lease is
     * this process's for at least another {@link Lease#ttl()}.
     */
    public synchronized void fence() throws IOException {
        if (lost) {
            throw new LostException("lost the lock of model [" + model + "]; stopping without changing it");
        }
        ModelLockDocument renewed = held.renewedAt(Instant.now(), lease.ttl().toMillis());
        try {
            var r = client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(JsonDocument.of(renewed.toMap())).ifSeqNo(seqNo)
                .ifPrimaryTerm(primaryTerm));
            held = renewed;
            seqNo = r.seqNo();
            primaryTerm = r.primaryTerm();
        } catch (ElasticsearchException e) {
            if (e.status() == 409 || e.status() == 404) {
                lost = true;
                throw new LostException("lost the lock of model [" + model + "] (taken over or removed); stopping without changing it");
            }
            throw e;
        }
    }

    private void renewQuietly() {
        try {
            fence();
        } catch (LostException e) {
            log.step(e.getMessage());
        } catch (Exception e) {
            // A transient failure: the next beat retries; the fence before any change decides.
            log.step("could not renew the lock of model [" + model + "]: " + e.getMessage());
        }
    }

    /** Stops renewing without releasing: what a frozen or partitioned holder looks like, for tests. */
    public void stopHeartbeatForTests() {
        heartbeat.shutdownNow();
    }

    public synchronized boolean lost() {
        return lost;
    }

    /** Stops the heartbeat and deletes the lock if it is still this process's. */
    @Override
    public synchronized void close() throws IOException {
        heartbeat.shutdownNow();
        if (lost || held == null) {
            return;
        }
        try {
            client.delete(d -> d.index(ModelIndices.METADATA_INDEX).id(id).ifSeqNo(seqNo).ifPrimaryTerm(primaryTerm));
        } catch (ElasticsearchException e) {
            if (e.status() != 409 && e.status() != 404) {
                throw e;
            }
        } finally {
            held = null;
        }
    }

    /** The model's lock as stored, if any. */
    @SuppressWarnings("unchecked")
    public static Optional<ModelLockDocument> current(ElasticsearchClient client, String model) throws IOException {
        if (client.indices().exists(e -> e.index(ModelIndices.METADATA_INDEX)).value() == false) {
            return Optional.empty();
        }
        @SuppressWarnings("rawtypes")
        GetResponse<Map> r = client.get(g -> g.index(ModelIndices.METADATA_INDEX).id(ModelLockDocument.id(model)), Map.class);
        return r.found() ? Optional.of(ModelLockDocument.fromMap(r.id(), r.source())) : Optional.empty();
    }

    /** Removes the model's lock whoever holds it: the operator's way out ({@code models unlock}). Returns what was removed. */
    public static Optional<ModelLockDocument> forceUnlock(ElasticsearchClient client, String model) throws IOException {
        Optional<ModelLockDocument> current = current(client, model);
        if (current.isPresent()) {
            client.delete(d -> d.index(ModelIndices.METADATA_INDEX).id(ModelLockDocument.id(model)));
        }
        return current;
    }
}
