package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;

import dev.mfrecs.contract.ModelIndices;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A per-model lock document in the metadata index, so two trainers never publish the same model at once. Taking it is
 * an atomic create; a lock whose holder died is taken over only after it expired, with optimistic concurrency
 * ({@code if_seq_no}/{@code if_primary_term}) so two trainers racing for an expired lock cannot both win.
 */
public final class TrainerLock implements AutoCloseable {

    /** Thrown when another live trainer holds the lock. */
    public static final class HeldException extends IllegalStateException {
        public HeldException(String message) {
            super(message);
        }
    }

    private final ElasticsearchClient client;
    private final String id;
    private final String owner;
    private boolean held;

    private TrainerLock(ElasticsearchClient client, String model) {
        this.client = client;
        this.id = "_lock-" + model;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    }

    /** Takes the lock for {@code model} for at most {@code ttl}, or throws {@link HeldException}. */
    public static TrainerLock acquire(ElasticsearchClient client, String model, Duration ttl) throws IOException {
        TrainerLock lock = new TrainerLock(client, model);
        lock.take(model, ttl);
        return lock;
    }

    private void take(String model, Duration ttl) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("lock_model", model);
        doc.put("owner", owner);
        doc.put("acquired", Instant.now().toString());
        doc.put("expires", Instant.now().plus(ttl).toString());
        try {
            client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(doc).opType(OpType.Create).refresh(Refresh.WaitFor));
            held = true;
            return;
        } catch (ElasticsearchException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
        @SuppressWarnings("rawtypes")
        GetResponse<Map> current = client.get(g -> g.index(ModelIndices.METADATA_INDEX).id(id), Map.class);
        if (current.found() == false) {
            take(model, ttl);
            return;
        }
        Object expires = current.source().get("expires");
        Instant expiry = expires == null ? Instant.EPOCH : Instant.parse(expires.toString());
        if (expiry.isAfter(Instant.now())) {
            throw new HeldException("model [" + model + "] is being trained by [" + current.source().get("owner") + "] until [" + expiry
                + "]; not publishing");
        }
        try {
            client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(doc).ifSeqNo(current.seqNo())
                .ifPrimaryTerm(current.primaryTerm()).refresh(Refresh.WaitFor));
            held = true;
        } catch (ElasticsearchException e) {
            if (e.status() == 409) {
                throw new HeldException("model [" + model + "]: another trainer took over the expired lock first; not publishing");
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (held) {
            held = false;
            @SuppressWarnings("rawtypes")
            GetResponse<Map> current = client.get(g -> g.index(ModelIndices.METADATA_INDEX).id(id), Map.class);
            if (current.found() && owner.equals(current.source().get("owner"))) {
                client.delete(d -> d.index(ModelIndices.METADATA_INDEX).id(id).ifSeqNo(current.seqNo())
                    .ifPrimaryTerm(current.primaryTerm()).refresh(Refresh.WaitFor));
            }
        }
    }
}
