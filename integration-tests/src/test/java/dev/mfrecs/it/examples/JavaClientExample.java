package dev.mfrecs.it.examples;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/**
 * The Java client example of {@code docs/clients.md}: the plugin's queries are not part of the typed client, so the search body
 * is given as JSON with {@code withJson}, and the hits come back typed as usual. {@code ReleaseIT} runs it against a node set up
 * from the release folder, so the page shows code that works.
 */
public final class JavaClientExample {

    private JavaClientExample() {}

    /** The ids of the {@code k} items {@code model} recommends to {@code user}, best first. */
    @SuppressWarnings("rawtypes")
    public static List<String> recommend(ElasticsearchClient client, String model, String user, int k) throws IOException {
        String body = """
            {"size": %d, "query": {"mf_recommend": {"model": "%s", "user": "%s", "k": %d}}}
            """.formatted(k, model, user, k);
        SearchResponse<Map> response = client.search(s -> s.index(model + "-items").withJson(new StringReader(body)), Map.class);
        return response.hits().hits().stream().map(Hit::id).toList();
    }

    /** The ids of the {@code k} items most similar to {@code item}. */
    @SuppressWarnings("rawtypes")
    public static List<String> similar(ElasticsearchClient client, String model, String item, int k) throws IOException {
        String body = """
            {"size": %d, "query": {"mf_similar": {"model": "%s", "items": ["%s"], "k": %d}}}
            """.formatted(k, model, item, k);
        SearchResponse<Map> response = client.search(s -> s.index(model + "-items").withJson(new StringReader(body)), Map.class);
        return response.hits().hits().stream().map(Hit::id).toList();
    }
}
