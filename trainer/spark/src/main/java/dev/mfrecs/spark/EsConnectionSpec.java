package dev.mfrecs.spark;

import dev.mfrecs.trainer.es.EsConnection;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * The serializable form of an {@link EsConnection}, shipped inside Spark tasks so each executor opens its own client to
 * the cluster (a client cannot be serialized). The CA file path must exist on every executor. Secrets travel with the
 * task: on an untrusted network enable Spark's RPC authentication and encryption. {@link #toString()} omits them.
 */
public record EsConnectionSpec(String url, String caFile, String apiKey, String username, String password) implements Serializable {

    public static EsConnectionSpec of(EsConnection c) {
        return new EsConnectionSpec(c.url().toString(), c.caFile() == null ? null : c.caFile().toString(), c.apiKey(), c.username(),
            c.password());
    }

    public EsConnection toConnection() {
        return new EsConnection(URI.create(url), caFile == null ? null : Path.of(caFile), apiKey, username, password);
    }

    @Override
    public String toString() {
        return toConnection().toString();
    }
}
