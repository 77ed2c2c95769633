package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.devkit.node.LocalNode;
import dev.mfrecs.it.examples.JavaClientExample;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release, as a cluster operator gets it: from a folder holding only the plugin zip and the trainer tarball (what
 * {@code ./recsys package} puts into {@code dist/}), a fresh directory unpacks the trainer, a downloaded Elasticsearch 9.1.0
 * installs the plugin with {@code bin/elasticsearch-plugin install file:///...}, and then the README's own commands run, in the
 * README's order, with a {@code PATH} that holds a few Unix tools and no Maven, from the unpacked tarball's directory: every
 * line of a {@code bash} block that starts with {@code curl} or {@code bin/mfrecs} (setup, indexing events, training, queries,
 * operating), except the security section, which needs a secured cluster ({@code SecurityIT} covers it). Then the client
 * examples of {@code docs/clients.md} run against the same node: the official JavaScript client (skipped, saying so, when Node is
 * not installed) and the Java client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseIT {

    static final String MODEL = "shop";
    static final int USERS = 240;
    static final int ITEMS = 60;
    static final int GROUPS = 4;
    /** README sections whose commands need something this node does not have. */
    static final List<String> NOT_RUN = List.of("Security");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path release;
    private static Path fresh;
    private static Path home;
    private static LocalNode node;
    private static Map<String, String> env;

    @BeforeAll
    static void installFromTheReleaseFolder() throws IOException, InterruptedException {
        Path plugin = Path.of(required("mfrecs.plugin.zip"));
        Path tarball = Path.of(required("mfrecs.trainer.tarball"));
        release = Files.createTempDirectory("mfrecs-release-");
        Files.copy(plugin, release.resolve(plugin.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tarball, release.resolve(tarball.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        fresh = Files.createTempDirectory("mfrecs-fresh-");
        Path bin = Files.createDirectories(fresh.resolve("path-bin"));
        for (String tool : List.of("bash", "sh", "env", "dirname", "readlink", "sed", "cut", "grep", "cat", "tar", "gzip", "head", "ls",
            "mkdir", "rm", "sleep", "curl", "node", "npm")) {
            for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
                Path found = Path.of(dir, tool);
                if (Files.isExecutable(found) && Files.exists(bin.resolve(tool)) == false) {
                    Files.createSymbolicLink(bin.resolve(tool), found);
                }
            }
        }
        env = new LinkedHashMap<>();
        env.put("PATH", bin.toString());
        env.put("HOME", Files.createDirectories(fresh.resolve("home")).toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // curl as the README's lines run it, but failing on an HTTP error: the test's .curlrc, not the README's flags.
        env.put("CURL_HOME", env.get("HOME"));
        Files.writeString(fresh.resolve("home/.curlrc"), "silent\nshow-error\nfail-with-body\n");

        assertEquals(0, run(fresh, List.of("tar", "xzf", release.resolve(tarball.getFileName()).toString()), Duration.ofMinutes(1)).code());
        try (Stream<Path> dirs = Files.list(fresh)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("mfrecs-trainer-")).findFirst().orElseThrow();
        }
        node = LocalNode.start(Path.of(required("mfrecs.es.zip")), release.resolve(plugin.getFileName()), Path.of(required(
            "mfrecs.work.dir")), "512m", ProgressLog.stderr());
        env.put("ES", node.url());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            long pid = node.pid();
            node.close();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "release node (pid " + pid + ") still running");
        }
    }

    @Test
    @Order(1)
    void neitherMavenNorTheCheckoutIsNeeded() throws IOException, InterruptedException {
        Result mvn = run(home, List.of("bash", "-c", "command -v mvn"), Duration.ofSeconds(30));
        assertNotEquals(0, mvn.code(), "mvn is on the test's PATH: " + mvn.out());
        assertTrue(Files.isExecutable(home.resolve("bin/mfrecs")));
        Result version = run(home, List.of("bin/mfrecs", "--version"), Duration.ofMinutes(1));
        assertEquals(0, version.code(), version.out());
        assertTrue(version.out().startsWith("mfrecs "), version.out());
        try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
            List<String> jars = libs.map(p -> p.getFileName().toString()).toList();
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("mfrecs-trainer-")), jars.toString());
            assertTrue(jars.stream().noneMatch(j -> j.contains("jfree") || j.contains("batik") || j.contains("evaluation")),
                jars.toString());
        }
        for (String file : List.of("LICENSE.txt", "NOTICE.txt", "THIRD-PARTY.txt")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
    }

    @Test
    @Order(2)
    void theReadmeCommandsRunAgainstTheNode() throws IOException, InterruptedException {
        Files.writeString(home.resolve("events.ndjson"), events(), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("products.ndjson"), products(), StandardCharsets.UTF_8);
        List<Command> commands = readmeCommands(Path.of(required("mfrecs.readme")));
        assertTrue(commands.stream().anyMatch(c -> c.text().startsWith("bin/mfrecs setup")), "the README sets the cluster up");
        assertTrue(commands.stream().anyMatch(c -> c.text().contains("_bulk")), "the README indexes events");
        assertTrue(commands.stream().anyMatch(c -> c.text().startsWith("bin/mfrecs train")), "the README trains");
        assertTrue(commands.stream().anyMatch(c -> c.text().contains("mf_recommend")), "the README queries");
        for (Command c : commands) {
            Result r = run(home, List.of("bash", "-c", c.text()), Duration.ofMinutes(5));
            String where = "README section [" + c.section() + "]: " + c.text() + "\n" + r.out();
            System.out.println("README> " + c.text() + "\n" + (r.out().length() > 1500 ? r.out().substring(0, 1500) + " ..." : r.out()));
            assertEquals(0, r.code(), where);
            if (c.text().startsWith("bin/mfrecs setup")) {
                assertTrue(r.out().contains("setup complete: every node runs mf-recommendations"), where);
            } else if (c.text().startsWith("bin/mfrecs train")) {
                assertTrue(r.out().contains("published model [" + MODEL + "] version [1]"), where);
            } else if (c.text().startsWith("curl")) {
                checkAnswer(c, r.stdout(), where);
            }
        }
        RestJson rest = new RestJson(node.url(), null);
        JsonNode model = rest.get("/_mf/model/" + MODEL).body();
        assertEquals(1, model.path("live_version").asInt(), model.toString());
        assertEquals("published", model.path("last_run").path("outcome").asText(), model.toString());
        // The model learned the groups: u1 has seen about 9 of its group's 15 items, so about 6 unseen ones are left among the
        // 50 it has not seen; a ranking that knew nothing would put about 1.2 of them into a top 10 (5 were measured).
        JsonNode hits = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"user\": \"u1\", \"k\": 10}}, \"_source\": false}").path("hits").path("hits");
        int inGroup = 0;
        for (JsonNode hit : hits) {
            inGroup += Integer.parseInt(hit.path("_id").asText().substring(1)) % GROUPS == 1 ? 1 : 0;
        }
        assertTrue(inGroup >= 4, "only " + inGroup + " of " + hits.size() + " recommendations for u1 are in its group: " + hits);
    }

    /** A curl answer: JSON without an error, a bulk without failed items, a search with hits. */
    private static void checkAnswer(Command c, String stdout, String where) throws IOException {
        if (stdout.isBlank() || stdout.strip().startsWith("{") == false) {
            return;
        }
        JsonNode body = JSON.readTree(stdout);
        assertTrue(body.path("error").isMissingNode(), where);
        assertFalse(body.path("errors").asBoolean(false), where);
        if (c.text().contains("_search")) {
            assertTrue(body.path("hits").path("hits").size() > 0, "no hits: " + where);
        }
        if (c.text().contains("_fold_in")) {
            assertTrue(body.path("vector").size() > 0, "no vector: " + where);
        }
    }

    @Test
    @Order(3)
    void theJavaScriptClientExampleRuns() throws IOException, InterruptedException {
        Result which = run(home, List.of("bash", "-c", "command -v node && command -v npm"), Duration.ofSeconds(30));
        Assumptions.assumeTrue(which.code() == 0, "Node.js (node and npm) is not installed: the JavaScript client example is skipped");
        Path js = Files.createDirectories(fresh.resolve("js"));
        Path examples = Path.of(required("mfrecs.examples"));
        for (String f : List.of("package.json", "recommend.mjs")) {
            Files.copy(examples.resolve("js").resolve(f), js.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(js, List.of("npm", "install", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        assertEquals(0, install.code(), "npm install (needs the npm registry): " + install.out());
        Map<String, String> vars = new HashMap<>(env);
        vars.put("ES_URL", node.url());
        vars.put("MODEL", MODEL);
        vars.put("USER_ID", "u1");
        vars.put("ITEM_ID", "p5");
        Result r = run(js, List.of("node", "recommend.mjs"), Duration.ofMinutes(2), vars);
        assertEquals(0, r.code(), r.out());
        JsonNode answer = JSON.readTree(r.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(5, answer.path("recommended").size(), answer.toString());
        assertEquals(1, answer.path("fold_in").path("version").asInt(), answer.toString());
        assertEquals("history", answer.path("fold_in").path("source").asText(), answer.toString());
        assertTrue(answer.path("fold_in").path("dims").asInt() > 0, answer.toString());
        assertEquals(3, answer.path("similar").size(), answer.toString());
        answer.path("similar").forEach(id -> assertNotEquals("p5", id.asText(), "the query item is excluded"));
        String version = JSON.readTree(js.resolve("node_modules/@elastic/elasticsearch/package.json").toFile()).path("version").asText();
        assertTrue(version.startsWith("9.1."), "the example pins the 9.1 client, got " + version);
    }

    @Test
    @Order(4)
    void theJavaClientExampleRuns() throws IOException {
        try (ElasticsearchClient client = EsConnection.of(node.url()).client()) {
            List<String> recommended = JavaClientExample.recommend(client, MODEL, "u2", 5);
            assertEquals(5, recommended.size(), recommended.toString());
            List<String> similar = JavaClientExample.similar(client, MODEL, "p6", 4);
            assertEquals(4, similar.size());
            assertFalse(similar.contains("p6"), similar.toString());
        }
    }

    @Test
    @Order(5)
    void theClientPageShowsTheTestedCode() throws IOException {
        String page = Files.readString(Path.of(required("mfrecs.examples")).resolveSibling("clients.md"));
        Path examples = Path.of(required("mfrecs.examples"));
        assertCodeBlockIsIn(page, "javascript", Files.readString(examples.resolve("js/recommend.mjs")));
        assertCodeBlockIsIn(page, "java", Files.readString(Path.of("src/test/java/dev/mfrecs/it/examples/JavaClientExample.java")));
    }

    private static void assertCodeBlockIsIn(String page, String language, String source) {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "docs/clients.md has no " + language + " block");
        for (String line : m.group(1).split("\n")) {
            if (line.isBlank() == false && line.strip().equals("...") == false) {
                assertTrue(source.contains(line.strip()), "docs/clients.md shows a " + language + " line the tested example does not have: "
                    + line);
            }
        }
    }

    /** A command of the README: the section it is in and its text (continuation lines joined). */
    record Command(String section, String text) {}

    /** Every command of a {@code bash} block starting with {@code curl} or {@code bin/mfrecs}, outside {@link #NOT_RUN}. */
    static List<Command> readmeCommands(Path readme) throws IOException {
        List<Command> out = new ArrayList<>();
        String section = "";
        boolean inBash = false;
        StringBuilder pending = null;
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                inBash = inBash == false && line.strip().equals("```bash");
                continue;
            }
            if (inBash == false) {
                if (line.startsWith("## ")) {
                    section = line.substring(3).strip();
                }
                continue;
            }
            if (pending != null) {
                pending.append('\n').append(line);
            } else if ((line.startsWith("curl ") || line.startsWith("bin/mfrecs ")) && NOT_RUN.stream().noneMatch(section::startsWith)) {
                pending = new StringBuilder(line);
            } else {
                continue;
            }
            String text = pending.toString();
            if (text.endsWith("\\") == false && text.chars().filter(ch -> ch == '\'').count() % 2 == 0) {
                out.add(new Command(section, text));
                pending = null;
            }
        }
        return out;
    }

    /** Synthetic shop events as bulk lines: users in four taste groups, views and purchases mostly in their group. */
    static String events() {
        SplittableRandom random = new SplittableRandom(16);
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        StringBuilder b = new StringBuilder();
        for (int u = 0; u < USERS; u++) {
            for (int e = 0; e < 14; e++) {
                int item = random.nextInt(10) < 9 ? u % GROUPS + GROUPS * random.nextInt(ITEMS / GROUPS) : random.nextInt(ITEMS);
                String type = random.nextInt(10) < 3 ? "purchase" : "view";
                b.append("{\"index\": {}}\n");
                b.append("{\"user_id\": \"u").append(u).append("\", \"item_id\": \"p").append(item).append("\", \"event_type\": \"")
                    .append(type).append("\", \"timestamp\": \"").append(start.plusSeconds(random.nextLong(50L * 86_400))).append("\"}\n");
            }
        }
        return b.toString();
    }

    /** The catalog: each item's category is its taste group's. */
    static String products() {
        List<String> categories = List.of("kitchen", "garden", "toys", "books");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            b.append("{\"index\": {\"_id\": \"p").append(i).append("\"}}\n");
            b.append("{\"item_id\": \"p").append(i).append("\", \"category\": \"").append(categories.get(i % GROUPS)).append(
                "\", \"price\": ").append(5 + i % 7).append("}\n");
        }
        return b.toString();
    }

    record Result(int code, String stdout, String stderr) {
        String out() {
            return stdout + stderr;
        }
    }

    private static Result run(Path dir, List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(dir, command, timeout, env);
    }

    private static Result run(Path dir, List<String> command, Duration timeout, Map<String, String> vars) throws IOException,
        InterruptedException {
        Path out = Files.createTempFile(fresh, "out-", ".txt");
        Path err = Files.createTempFile(fresh, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(vars);
        String[] resolved = command.toArray(String[]::new);
        if (resolved[0].contains("/") == false) {
            resolved[0] = Path.of(vars.get("PATH")).resolve(resolved[0]).toString();
        } else if (resolved[0].startsWith("/") == false) {
            resolved[0] = dir.resolve(resolved[0]).toString();
        }
        pb.command(resolved);
        Process p = pb.start();
        if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) == false) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeout + ": " + command);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property [" + property + "] is not set; run through mvn verify");
        }
        return v;
    }
}
