package dev.mfrecs.trainer.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
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

    /**
     * How long the client waits for an answer. Explicitly above {@link #MASTER_TIMEOUT}, the time the cluster may take to apply
     * an alias swap or an index creation before it answers itself: a client that gave up first could not tell whether the change
     * happened, which is exactly the ambiguity the publisher must never have to guess about.
     */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(120);
    /** The {@code master_timeout} and {@code timeout} the trainer sends with every cluster-state change. */
    public static final String MASTER_TIMEOUT = "30s";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The official client on the official low-level client, with the timeouts above. */
    public ElasticsearchClient client() throws IOException {
        return new ElasticsearchClient(new Rest5ClientTransport(lowLevelClient(), new JacksonJsonpMapper()));
    }

    /** The official low-level client, for endpoints the typed client does not model (the plugin's own). */
    public Rest5Client lowLevelClient() {
        Rest5ClientBuilder b = Rest5Client.builder(url)
            .setRequestConfigCallback(rc -> rc.setResponseTimeout(Timeout.of(RESPONSE_TIMEOUT))
                .setConnectionRequestTimeout(Timeout.of(CONNECT_TIMEOUT)))
            .setConnectionConfigCallback(cc -> cc.setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                .setSocketTimeout(Timeout.of(RESPONSE_TIMEOUT)));
        String authorization = authorizationHeader();
        if (authorization != null) {
            b.setDefaultHeaders(new Header[] { new BasicHeader("Authorization", authorization) });
        }
        if (caFile != null) {
            b.setSSLContext(sslContext(caFile));
        }
        return b.build();
    }

    /** The Authorization header for plain HTTP calls to the plugin's REST API, or null. */
    public String authorizationHeader() {
        if (apiKey != null && apiKey.isEmpty() == false) {
            return "ApiKey " + apiKey;
        }
        if (username != null && username.isEmpty() == false) {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password)).getBytes(
                StandardCharsets.UTF_8));
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
