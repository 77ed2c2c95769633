package dev.mfrecs.devkit.node;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One real Elasticsearch node per JVM for suites that run against the distribution with the built plugin installed (the
 * integration tests, the Spark module's tests): configured by the system properties the build sets
 * ({@code mfrecs.es.zip}, {@code mfrecs.plugin.zip}, {@code mfrecs.work.dir}), started on first use, shared by every test
 * class, and stopped by its PID when the JVM exits.
 */
public final class SharedNode {

    private static LocalNode node;
    private static ElasticsearchClient client;

    private SharedNode() {}

    public static synchronized LocalNode node() {
        if (node == null) {
            try {
                node = LocalNode.start(Path.of(required("mfrecs.es.zip")), Path.of(required("mfrecs.plugin.zip")),
                    Path.of(required("mfrecs.work.dir")), "768m", ProgressLog.stderr());
                Runtime.getRuntime().addShutdownHook(new Thread(node::close));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start the shared node: " + e.getMessage(), e);
            }
        }
        return node;
    }

    public static synchronized ElasticsearchClient client() throws IOException {
        if (client == null) {
            client = EsConnection.of(node().url()).client();
        }
        return client;
    }

    public static RestJson rest() {
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
