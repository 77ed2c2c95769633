package dev.mfrecs.spark;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.node.LocalNode;
import dev.mfrecs.trainer.node.ProgressLog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The real Elasticsearch 9.1.0 node of this module's integration tests, with the plugin zip this build produced
 * installed (the same {@link LocalNode} launcher the integration-tests module uses). Started on first use, stopped when
 * the test JVM exits.
 */
final class TestNode {

    private static LocalNode node;
    private static ElasticsearchClient client;

    private TestNode() {}

    static synchronized LocalNode node() {
        if (node == null) {
            try {
                node = LocalNode.start(Path.of(required("mfrecs.es.zip")), Path.of(required("mfrecs.plugin.zip")),
                    Path.of(required("mfrecs.work.dir")), "768m", ProgressLog.stderr());
                Runtime.getRuntime().addShutdownHook(new Thread(node::close));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start the test node: " + e.getMessage(), e);
            }
        }
        return node;
    }

    static synchronized ElasticsearchClient client() throws IOException {
        if (client == null) {
            client = EsConnection.of(node().url()).client();
        }
        return client;
    }

    static RestJson rest() {
        return new RestJson(node().url(), null);
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property [" + property + "] is not set; run through mvn verify");
        }
        return v;
    }
}
