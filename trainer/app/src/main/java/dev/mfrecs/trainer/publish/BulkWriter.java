package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bulk indexing with backpressure: documents go in batches; items rejected with 429 (the cluster's write queue is full)
 * are retried with exponential backoff, and any other item failure aborts with the first reason, so the caller can
 * delete the half-written version instead of publishing it.
 */
public final class BulkWriter implements AutoCloseable {

    static final int MAX_RETRIES = 8;

    private final ElasticsearchClient client;
    private final String index;
    private final int batchSize;
    private final List<BulkOperation> pending = new ArrayList<>();
    private long written;

    private final ModelPublisher.BulkListener listener;

    public BulkWriter(ElasticsearchClient client, String index, int batchSize) {
        this(client, index, batchSize, ModelPublisher.BulkListener.NONE);
    }

    public BulkWriter(ElasticsearchClient client, String index, int batchSize, ModelPublisher.BulkListener listener) {
        this.client = client;
        this.index = index;
        this.batchSize = batchSize;
        this.listener = listener;
    }

    public void add(String id, Map<String, Object> doc) throws IOException {
        pending.add(BulkOperation.of(b -> b.index(i -> i.index(index).id(id).document(doc))));
        if (pending.size() >= batchSize) {
            flush();
        }
    }

    public long written() {
        return written;
    }

    public void flush() throws IOException {
        List<BulkOperation> ops = new ArrayList<>(pending);
        pending.clear();
        long backoff = 100;
        for (int attempt = 0; ops.isEmpty() == false; attempt++) {
            final List<BulkOperation> batch = ops;
            BulkResponse response = client.bulk(b -> b.operations(batch));
            List<BulkOperation> retry = new ArrayList<>();
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                if (item.error() == null) {
                    written++;
                } else if (item.status() == 429) {
                    retry.add(batch.get(i));
                } else {
                    throw new IOException("bulk indexing into [" + index + "] failed for id [" + item.id() + "]: " + item.error().type()
                        + ": " + item.error().reason());
                }
            }
            if (retry.isEmpty()) {
                listener.afterBulk(index, written);
                return;
            }
            if (attempt >= MAX_RETRIES) {
                throw new IOException("bulk indexing into [" + index + "]: [" + retry.size() + "] documents still rejected with 429 after ["
                    + MAX_RETRIES + "] retries");
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while backing off", e);
            }
            backoff = Math.min(backoff * 2, 10_000);
            ops = retry;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
