package dev.mfrecs.trainer.train;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.TrainingRun;
import dev.mfrecs.trainer.es.JsonDocument;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects what one run did (counts, phase timings, gate measurements) and writes its {@link TrainingRun} record at the end,
 * whatever the outcome. Writing the record never fails the run: a cluster that cannot take it is reported in the log.
 */
public final class RunRecorder {

    private final String runId = UUID.randomUUID().toString();
    private final String model;
    private final Instant started = Instant.now();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final Map<String, Object> gate = new LinkedHashMap<>();
    private long phaseStart = System.nanoTime();

    public RunRecorder(String model) {
        this.model = model;
    }

    public void count(String name, long value) {
        counts.put(name, value);
    }

    /** Ends the current phase, recording its seconds under {@code name}, and starts the next. */
    public void phase(String name) {
        long now = System.nanoTime();
        seconds.put(name, (now - phaseStart) / 1e9);
        phaseStart = now;
    }

    public Map<String, Object> gate() {
        return gate;
    }

    /** Writes the record with the run's outcome; returns it. */
    public TrainingRun finish(ElasticsearchClient client, TrainingRun.Outcome outcome, Integer version, String error, ProgressLog log) {
        Instant ended = Instant.now();
        seconds.put("total", (ended.toEpochMilli() - started.toEpochMilli()) / 1e3);
        TrainingRun run = new TrainingRun(runId, model, host(), started, ended, outcome, version, counts, seconds, gate, error);
        try {
            client.index(i -> i.index(ModelIndices.RUNS_INDEX).id(runId).document(JsonDocument.of(run.toMap())).refresh(Refresh.WaitFor));
        } catch (IOException | RuntimeException e) {
            log.step("could not write the run record to [" + ModelIndices.RUNS_INDEX + "]: " + e.getMessage());
        }
        return run;
    }

    /** The newest {@code size} run records of {@code model}, newest first. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public static List<TrainingRun> recent(ElasticsearchClient client, String model, int size) throws IOException {
        if (client.indices().exists(e -> e.index(ModelIndices.RUNS_INDEX)).value() == false) {
            return List.of();
        }
        SearchResponse<Map> r = client.search(s -> s.index(ModelIndices.RUNS_INDEX)
            .query(q -> q.term(t -> t.field(TrainingRun.MODEL).value(model)))
            .sort(o -> o.field(f -> f.field(TrainingRun.STARTED).order(SortOrder.Desc))).size(size), Map.class);
        List<TrainingRun> out = new ArrayList<>();
        for (Hit<Map> hit : r.hits().hits()) {
            out.add(TrainingRun.fromMap(hit.id(), hit.source()));
        }
        return out;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
