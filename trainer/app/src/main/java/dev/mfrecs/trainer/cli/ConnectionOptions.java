package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.es.EsConnection;

import java.net.URI;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * Cluster connection flags shared by every command that talks to Elasticsearch (the trainer's and the dev kit's), so they
 * are spelled and read the same everywhere; secrets also from the environment.
 */
public final class ConnectionOptions {

    @Option(names = "--es", required = true, description = "Cluster URL, e.g. https://es.example:9200.")
    String url;

    @Option(names = "--ca", description = "CA certificate (PEM) for HTTPS.")
    Path ca;

    @Option(names = "--api-key", description = "API key (or ES_API_KEY).", arity = "0..1", interactive = false)
    String apiKey;

    @Option(names = "--user", description = "Basic-auth user (or ES_USERNAME); the password comes from ES_PASSWORD.")
    String user;

    /** The connection these flags (and {@code ES_API_KEY}, {@code ES_USERNAME}, {@code ES_PASSWORD}) describe. */
    public EsConnection connection() {
        String key = apiKey != null ? apiKey : System.getenv("ES_API_KEY");
        String username = user != null ? user : System.getenv("ES_USERNAME");
        return new EsConnection(URI.create(url), ca, key, username, System.getenv("ES_PASSWORD"));
    }
}
