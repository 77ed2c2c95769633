package dev.mfrecs.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy between the trainer and the node that loses the answer to the alias swap, the one request whose outcome the
 * trainer cannot know from a failure: every request is forwarded as is, except {@code POST /_aliases}, which is either
 * forwarded and its answer dropped ({@link Mode#APPLY_THEN_DROP}: the cluster moved the aliases, the trainer sees a closed
 * connection) or dropped without forwarding ({@link Mode#DROP}: nothing moved, the trainer sees the same closed connection).
 * Built on the JDK's {@link HttpServer}: a handler that throws closes the connection without an answer.
 */
final class SwallowingProxy implements AutoCloseable {

    /** What happens to {@code POST /_aliases}. */
    enum Mode {
        APPLY_THEN_DROP,
        DROP
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "keep-alive",
        "upgrade", "expect");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build();
    private final String target;
    private final Mode mode;
    private final AtomicInteger swallowed = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    SwallowingProxy(String target, Mode mode) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        this.mode = mode;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Alias swaps whose answer the trainer never got. */
    int swallowed() {
        return swallowed.get();
    }

    int forwarded() {
        return forwarded.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        boolean aliasSwap = "POST".equals(method) && exchange.getRequestURI().getPath().equals("/_aliases");
        if (aliasSwap && mode == Mode.DROP) {
            swallowed.incrementAndGet();
            throw new IOException("proxy: dropping the alias swap without forwarding it");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI())).timeout(Duration.ofSeconds(120))
            .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) == false) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        forwarded.incrementAndGet();
        if (aliasSwap) {
            swallowed.incrementAndGet();
            throw new IOException("proxy: the cluster answered the alias swap with " + response.statusCode() + "; dropping the answer");
        }
        response.headers().map().forEach((name, values) -> {
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) == false && name.startsWith(":") == false) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] answer = response.body();
        boolean noBody = "HEAD".equals(method) || answer.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
        if (noBody == false) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
