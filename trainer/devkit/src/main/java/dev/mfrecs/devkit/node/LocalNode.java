package dev.mfrecs.devkit.node;

import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real single-node Elasticsearch started from the distribution zip Maven resolved, with the plugin zip installed by
 * {@code bin/elasticsearch-plugin}: what the demo and the integration tests run against.
 * <p>
 * Elasticsearch refuses to run as root, so under root the node runs as an unprivileged user this class creates when
 * needed ({@value #RUN_USER}), from a fresh directory under the system temp dir that user can traverse. The node is
 * stopped by the PID it wrote, never by name.
 * <p>
 * Security is off by default (the demo). With {@link Options#withSecurity} the node runs with security on, users and
 * roles in the file realm: roles appended to {@code config/roles.yml}, users created with the distribution's own
 * {@code bin/elasticsearch-users useradd} before the first start. HTTP and transport stay plain text: Elasticsearch
 * 9.1 accepts that for this node (checked: it starts and authenticates over plain HTTP), because bootstrap checks,
 * the transport TLS one included, are not enforced with {@code discovery.type=single-node} on a loopback address. No
 * certificates are needed for a local test node; never run a reachable cluster like this.
 */
public final class LocalNode implements AutoCloseable {

    public static final String RUN_USER = "mfrecs-es";

    private final Path home;
    private final Path root;
    private final int httpPort;
    private final boolean asRoot;
    private final String javaHome;
    private final Security security;
    private long pid = -1;
    private Thread shutdownHook;

    /** A file-realm user: name, password (at least 6 characters), and the roles it gets. */
    public record User(String name, String password, List<String> roles) {
        public User {
            Objects.requireNonNull(name, "name");
            if (password == null || password.length() < 6) {
                throw new IllegalArgumentException("local node user [" + name + "] needs a password of at least 6 characters");
            }
            roles = List.copyOf(roles);
        }
    }

    /**
     * Security settings of a local node: the role definitions (YAML in the {@code roles.yml} format, appended to the
     * distribution's file) and the users to create. One user must have the {@code superuser} role: the node's own
     * readiness probe authenticates as that user.
     */
    public record Security(String rolesYml, List<User> users) {
        public Security {
            users = List.copyOf(users);
            if (users.stream().noneMatch(u -> u.roles().contains("superuser"))) {
                throw new IllegalArgumentException("a secured local node needs a user with role [superuser], got users "
                    + users.stream().map(User::name).toList());
            }
        }

        /** The first user with the {@code superuser} role. */
        public User superuser() {
            return users.stream().filter(u -> u.roles().contains("superuser")).findFirst().orElseThrow();
        }

        /** The basic-auth header of the named user. */
        public String basicAuth(String user) {
            User u = users.stream().filter(x -> x.name().equals(user)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no local node user [" + user + "]"));
            return "Basic " + Base64.getEncoder().encodeToString((u.name() + ":" + u.password()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** How to start a local node: heap size, and security (null: off, the default). */
    public record Options(String heap, Security security) {
        public Options {
            Objects.requireNonNull(heap, "heap");
        }

        public static Options heap(String heap) {
            return new Options(heap, null);
        }

        public Options withSecurity(String rolesYml, List<User> users) {
            return new Options(heap, new Security(rolesYml, users));
        }
    }

    private LocalNode(Path root, Path home, int httpPort, boolean asRoot, String javaHome, Security security) {
        this.root = root;
        this.home = home;
        this.httpPort = httpPort;
        this.asRoot = asRoot;
        this.javaHome = javaHome;
        this.security = security;
    }

    /** Unpacks the distribution, installs the plugin, starts the node with security off and waits until it serves requests. */
    public static LocalNode start(Path esZip, Path pluginZip, Path workDir, String heap, ProgressLog log) throws IOException,
        InterruptedException {
        return start(esZip, pluginZip, workDir, Options.heap(heap), log);
    }

    /** Unpacks the distribution, installs the plugin, sets up security if asked, starts the node and waits until it serves. */
    public static LocalNode start(Path esZip, Path pluginZip, Path workDir, Options options, ProgressLog log) throws IOException,
        InterruptedException {
        if (Files.isRegularFile(esZip) == false) {
            throw new IllegalArgumentException("Elasticsearch distribution [" + esZip + "] does not exist");
        }
        if (Files.isRegularFile(pluginZip) == false) {
            throw new IllegalArgumentException("plugin zip [" + pluginZip + "] does not exist; build it with mvn package");
        }
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path root;
        if (asRoot) {
            ensureRunUser();
            // The run user must traverse every parent: a clone under a 0700 temp dir would not do.
            root = Files.createTempDirectory(Path.of("/tmp"), "mfrecs-node-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            Files.createDirectories(workDir);
            root = Files.createTempDirectory(workDir, "node-");
        }
        log.step("unpacking " + esZip.getFileName());
        Path home = unzip(esZip, root);
        Path plugin = root.resolve(pluginZip.getFileName());
        Files.copy(pluginZip, plugin);
        String javaHome = System.getProperty("java.home");
        int port = freePort();
        LocalNode node = new LocalNode(root, home, port, asRoot, javaHome, options.security());
        if (asRoot) {
            run(List.of("chown", "-R", RUN_USER + ":" + RUN_USER, root.toString()), root, javaHome, false, Duration.ofMinutes(2));
        }
        log.step("installing plugin " + pluginZip.getFileName());
        node.runAsNodeUser(List.of(home.resolve("bin/elasticsearch-plugin").toString(), "install", "--batch", plugin.toUri().toString()),
            Duration.ofMinutes(3));
        if (options.security() != null) {
            node.configureSecurity(log);
        }
        log.step("starting Elasticsearch on port " + port + (options.security() != null ? " with security on" : ""));
        node.launch(options.heap());
        node.awaitReady(Duration.ofMinutes(3));
        return node;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path home() {
        return home;
    }

    public long pid() {
        return pid;
    }

    /** The security settings the node was started with, or null when security is off. */
    public Security security() {
        return security;
    }

    /**
     * Appends the roles to {@code config/roles.yml} and creates the file-realm users with {@code bin/elasticsearch-users},
     * as the node user so the files keep their owner. The passwords appear on that tool's command line, which is fine
     * for a throwaway local node and never for a production one.
     */
    private void configureSecurity(ProgressLog log) throws IOException, InterruptedException {
        if (security.rolesYml() != null && security.rolesYml().isBlank() == false) {
            Files.writeString(home.resolve("config/roles.yml"), "\n" + security.rolesYml() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        }
        for (User user : security.users()) {
            log.step("adding file-realm user [" + user.name() + "] with roles " + user.roles());
            runAsNodeUser(List.of(home.resolve("bin/elasticsearch-users").toString(), "useradd", user.name(), "-p", user.password(), "-r",
                String.join(",", user.roles())), Duration.ofMinutes(1));
        }
    }

    private void launch(String heap) throws IOException, InterruptedException {
        Path pidFile = root.resolve("es.pid");
        int transportPort = freePort();
        List<String> cmd = new ArrayList<>(List.of(
            home.resolve("bin/elasticsearch").toString(),
            "-d",
            "-p",
            pidFile.toString(),
            "-E", "cluster.name=mfrecs-local",
            "-E", "node.name=mfrecs-node",
            "-E", "discovery.type=single-node",
            "-E", "xpack.security.enabled=" + (security != null),
            "-E", "network.host=127.0.0.1",
            "-E", "http.port=" + httpPort,
            "-E", "transport.port=" + transportPort,
            "-E", "path.data=" + root.resolve("data"),
            "-E", "path.logs=" + root.resolve("logs"),
            "-E", "action.destructive_requires_name=false",
            "-E", "cluster.routing.allocation.disk.threshold_enabled=false"
        ));
        if (security != null) {
            // Plain HTTP and transport: accepted because bootstrap checks are not enforced for a single-node, loopback node.
            cmd.addAll(List.of("-E", "xpack.security.http.ssl.enabled=false", "-E", "xpack.security.transport.ssl.enabled=false"));
        }
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", RUN_USER, "--"));
        }
        full.add("env");
        full.add("ES_JAVA_HOME=" + javaHome);
        full.add("ES_JAVA_OPTS=-Xms" + heap + " -Xmx" + heap);
        full.addAll(cmd);
        try {
            run(full, root, javaHome, false, Duration.ofMinutes(3));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\n" + logTail(), e);
        }
        pid = Long.parseLong(Files.readString(pidFile).trim());
        shutdownHook = new Thread(this::stopQuietly, "mfrecs-node-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
                throw new IOException("Elasticsearch (pid " + pid + ") exited during startup\n" + logTail());
            }
            try {
                HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                    .timeout(Duration.ofSeconds(5));
                if (security != null) {
                    probe.header("Authorization", security.basicAuth(security.superuser().name()));
                }
                HttpResponse<String> r = http.send(probe.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IOException("Elasticsearch did not become ready within " + timeout + " (last answer: " + last + ")\n" + logTail());
    }

    /** The last lines of the node's log, for error messages. */
    public String logTail() {
        Path log = root.resolve("logs/mfrecs-local.log");
        try {
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            }
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
        return "(no log at " + log + ")";
    }

    @Override
    public void close() {
        stopQuietly();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** Stops the node by the PID it wrote, waits for it to exit, and removes its directory. */
    private synchronized void stopQuietly() {
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
            pid = -1;
        }
        deleteTree(root);
    }

    private void runAsNodeUser(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", RUN_USER, "--"));
        }
        full.add("env");
        full.add("ES_JAVA_HOME=" + javaHome);
        full.addAll(cmd);
        run(full, root, javaHome, false, timeout);
    }

    private static String run(List<String> cmd, Path dir, String javaHome, boolean quiet, Duration timeout) throws IOException,
        InterruptedException {
        // Output goes to a file, not a pipe: a daemonized node may keep inherited descriptors open.
        Path outFile = Files.createTempFile("mfrecs-cmd-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(outFile.toFile());
            pb.environment().put("ES_JAVA_HOME", javaHome);
            Process p = pb.start();
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) == false) {
                p.destroyForcibly();
                throw new IOException("command timed out: " + String.join(" ", cmd));
            }
            String text = Files.readString(outFile, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("command failed with exit code " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(outFile);
        }
    }


    private static void ensureRunUser() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u", RUN_USER).redirectErrorStream(true).start();
        id.getInputStream().readAllBytes();
        if (id.waitFor() != 0) {
            run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_USER),
                Path.of("/"), System.getProperty("java.home"), true, Duration.ofSeconds(30));
        }
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        Path top = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = target.resolve(e.getName()).normalize();
                if (out.startsWith(target) == false) {
                    throw new IOException("zip entry [" + e.getName() + "] escapes the target directory");
                }
                if (top == null) {
                    top = target.resolve(target.relativize(out).getName(0));
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                    String name = out.getParent().getFileName().toString();
                    if (name.equals("bin") || name.equals("platform") || out.toString().contains("/bin/")) {
                        out.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        if (top == null) {
            throw new IOException("empty distribution zip [" + zip + "]");
        }
        return top;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || Files.exists(dir) == false) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temp dir is harmless
        }
    }
}
