package dev.mfrecs.it.yaml;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML runner against a canned HTTP server: passing tests pass, and a wrong match, a missing error, the wrong error and an
 * undeclared parameter each fail; stash, {@code _arbitrary_key_} and {@code ${var}} resolve; the request sent is the one the
 * spec describes.
 */
class YamlRestRunnerTest {

    private static HttpServer server;
    private static final List<String> requests = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(exchange.getRequestMethod() + " " + path + " " + body);
            }
            int status = 200;
            String answer;
            if (path.startsWith("/_mf/model/missing")) {
                status = 404;
                answer = "{\"error\": {\"type\": \"resource_not_found_exception\", \"reason\": \"model [missing] not found\"}, "
                    + "\"status\": 404}";
            } else if (path.startsWith("/_mf/_stats")) {
                answer = "{\"nodes\": {\"n1\": {\"name\": \"node-1\", \"requests\": {\"fold_in\": {\"count\": 7}}}}}";
            } else {
                answer = "{\"model\": \"m\", \"live_version\": 3, \"versions\": [{\"version\": 3}, {\"version\": 2}], \"pinned\": null}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        Files.createDirectories(dir.resolve("api"));
        Files.writeString(dir.resolve("api/mf.get_model.json"), """
            {"mf.get_model": {"documentation": {"url": "x", "description": "x"}, "stability": "experimental", "visibility": "public",
              "url": {"paths": [{"path": "/_mf/model/{model}", "methods": ["GET"], "parts": {"model": {"type": "string",
              "description": "x"}}}]}, "params": {"verbose": {"type": "boolean", "description": "x"}}}}
            """);
        Files.writeString(dir.resolve("api/mf.stats.json"), """
            {"mf.stats": {"documentation": {"url": "x", "description": "x"}, "stability": "experimental", "visibility": "public",
              "url": {"paths": [{"path": "/_mf/_stats", "methods": ["GET"]}, {"path": "/_mf/_stats/{node_id}", "methods": ["GET"],
              "parts": {"node_id": {"type": "list", "description": "x"}}}]}, "params": {}}}
            """);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private YamlRestRunner runner() {
        return new YamlRestRunner(List.of(dir.resolve("api")), "http://127.0.0.1:" + server.getAddress().getPort(), null);
    }

    private YamlRestRunner.Suite suite(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yml");
        Files.writeString(file, yaml);
        return runner().parse(file);
    }

    @Test
    void passingAssertionsPassAndStashResolves() throws IOException {
        YamlRestRunner r = runner();
        Path file = dir.resolve("ok.yml");
        Files.writeString(file, """
            ---
            "reads":
              - do:
                  mf.get_model:
                    model: m
                    verbose: true
              - match: { live_version: 3 }
              - match: { pinned: null }
              - length: { versions: 2 }
              - match: { versions.1.version: 2 }
              - set: { versions.0.version: live }
              - gt: { live_version: 2 }
              - lte: { live_version: $live }
              - is_false: lock
              - contains: { versions: { version: 2 } }
              - do:
                  catch: missing
                  mf.get_model:
                    model: missing
              - match:
                  error.reason: /model\\ \\[missing\\]/
              - do:
                  mf.stats: {}
              - set: { nodes._arbitrary_key_: node }
              - match: { nodes.$node.requests.fold_in.count: 7 }
              - do:
                  mf.stats:
                    node_id: $node
              - match: { nodes.n1.name: "node-${node}" }
            """.replace("\"node-${node}\"", "/node-1/"));
        YamlRestRunner.Suite s = r.parse(file);
        assertNull(r.run(s, "reads").skipped());
        assertTrue(requests.contains("GET /_mf/model/m?verbose=true "), requests.toString());
        assertTrue(requests.contains("GET /_mf/_stats/n1 "), requests.toString());
    }

    @Test
    void wrongExpectationsFail() throws IOException {
        YamlRestRunner.Suite s = suite("bad", """
            ---
            "wrong value":
              - do:
                  mf.get_model:
                    model: m
              - match: { live_version: 4 }
            ---
            "error expected but none came":
              - do:
                  catch: missing
                  mf.get_model:
                    model: m
            ---
            "wrong error":
              - do:
                  catch: conflict
                  mf.get_model:
                    model: missing
            ---
            "unexpected error":
              - do:
                  mf.get_model:
                    model: missing
            ---
            "wrong length":
              - do:
                  mf.get_model:
                    model: m
              - length: { versions: 3 }
            """);
        YamlRestRunner r = runner();
        for (String test : s.tests().keySet()) {
            assertThrows(AssertionError.class, () -> r.run(s, test), test);
        }
        assertEquals(5, s.tests().size());
    }

    @Test
    void undeclaredParametersAndUnknownApisAreRefused() throws IOException {
        YamlRestRunner.Suite s = suite("param", """
            ---
            "undeclared":
              - do:
                  mf.get_model:
                    model: m
                    colour: blue
            """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner().run(s, "undeclared"));
        assertTrue(e.getMessage().contains("does not take parameter [colour]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> suite("unknown", """
            ---
            "unknown api":
              - do:
                  mf.nope: {}
            """));
        assertTrue(e.getMessage().contains("no rest-api-spec for API [mf.nope]"), e.getMessage());
    }

    @Test
    void unsupportedFeaturesSkip() throws IOException {
        YamlRestRunner.Suite s = suite("skip", """
            ---
            "needs a feature":
              - skip:
                  features: [ node_selector ]
              - do:
                  mf.get_model:
                    model: m
              - match: { live_version: 99 }
            """);
        assertTrue(runner().run(s, "needs a feature").skipped().contains("node_selector"));
    }
}
