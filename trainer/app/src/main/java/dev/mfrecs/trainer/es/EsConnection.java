package dev.mfrecs.trainer.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the trainer reaches a cluster: URL, optional CA certificate for HTTPS, and an API key or basic auth. Secrets come
 * from flags or the environment ({@code ES_API_KEY}, {@code ES_USERNAME}, {@code ES_PASSWORD}) and are never printed.
 */
public record EsConnection(URI url, Path caFile, String apiKey, String username, String password) {

    @Override
    public String toString() {
        // Deliberately without secrets.
        return "EsConnection[" + url + (apiKey != null ? ", api key" : "") + (username != null ? ", user " + username : "") + "]";
    }

    public static EsConnection of(String url) {
        return new EsConnection(URI.create(url), null, System.getenv("ES_API_KEY"), System.getenv("ES_USERNAME"),
            System.getenv("ES_PASSWORD"));
    }

    public ElasticsearchClient client() throws IOException {
        return ElasticsearchClient.of(b -> {
            b.host(url.toString());
            if (apiKey != null && apiKey.isEmpty() == false) {
                b.apiKey(apiKey);
            } else if (username != null && username.isEmpty() == false) {
                b.usernameAndPassword(username, password == null ? "" : password);
            }
            if (caFile != null) {
                b.sslContext(sslContext(caFile));
            }
            return b;
        });
    }

    /** The Authorization header for plain HTTP calls to the plugin's REST API, or null. */
    public String authorizationHeader() {
        if (apiKey != null && apiKey.isEmpty() == false) {
            return "ApiKey " + apiKey;
        }
        if (username != null && username.isEmpty() == false) {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password)).getBytes());
        }
        return null;
    }

    /** The TLS context trusting {@code --ca}, or null when no CA file was given (the JDK's default trust then applies). */
    public SSLContext sslContext() {
        return caFile == null ? null : sslContext(caFile);
    }

    private static SSLContext sslContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read CA certificate [" + caFile + "]: " + e.getMessage(), e);
        }
    }
}
