package dev.mfrecs.trainer.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain JSON over HTTP for the plugin's own endpoints ({@code _mf/...}) and for search bodies using the plugin's queries,
 * which the typed Java client cannot express. Used by the demo and the integration tests, so both talk to the node
 * exactly as a user's curl would.
 */
public final class RestJson {

    /** A response: status code and parsed body. */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String authorization;

    public RestJson(String baseUrl, String authorization) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = authorization;
    }

    public Response get(String path) throws IOException {
        return send("GET", path, null);
    }

    public Response post(String path, String body) throws IOException {
        return send("POST", path, body);
    }

    public Response put(String path, String body) throws IOException {
        return send("PUT", path, body);
    }

    /** Like {@link #post} but fails with the server's answer unless the status is 2xx. */
    public JsonNode postOk(String path, String body) throws IOException {
        Response r = post(path, body);
        if (r.ok() == false) {
            throw new IOException("POST " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    public Response send(String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = r.body() == null || r.body().isBlank() ? JSON.nullNode() : parseOrText(r.body());
            return new Response(r.statusCode(), node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode parseOrText(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
