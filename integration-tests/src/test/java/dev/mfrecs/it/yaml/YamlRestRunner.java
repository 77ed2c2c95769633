package dev.mfrecs.it.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs REST tests written in Elasticsearch's YAML test format (the {@code rest-api-spec/test} files of its modules and plugins)
 * against a running node over HTTP, resolving each {@code do} through rest-api-spec files.
 * <p>
 * Why it exists: Elasticsearch's own runner ({@code ESClientYamlSuiteTestCase}, the {@code :test:yaml-rest-runner} project)
 * left the {@code framework} jar in 8.2 and is not published to Maven Central ({@code org.elasticsearch.test:yaml-rest-runner}
 * answers 404 for 9.1.0, 9.0.0 and 8.19.0), and neither GitHub nor Elastic's artifact repository resolves from this build's
 * network, so it cannot be built here either. This runner implements the part of the format the plugin's tests use, with the
 * same semantics, so the same files run unchanged under Elasticsearch's runner in a Gradle build: {@code setup} and
 * {@code teardown}; {@code do} with {@code catch} ({@code bad_request}, {@code unauthorized}, {@code forbidden},
 * {@code missing}, {@code request_timeout}, {@code conflict}, {@code unavailable}, {@code request}, {@code /regex/}),
 * {@code headers}, {@code warnings}, {@code allowed_warnings} and the {@code ignore} parameter; {@code match} (values,
 * {@code /regex/} with comments allowed), {@code length}, {@code is_true}, {@code is_false}, {@code gt}, {@code gte},
 * {@code lt}, {@code lte}, {@code contains}; {@code set} and {@code $stash} references (also {@code ${var}} inside strings and
 * {@code _arbitrary_key_} in paths); and {@code skip} on {@code features} this runner does not have. A response with an
 * unexpected deprecation warning fails, as in Elasticsearch.
 */
public final class YamlRestRunner {

    /** The {@code skip: features} this runner supports; a test asking for another is skipped. */
    static final Set<String> FEATURES = Set.of("headers", "warnings", "allowed_warnings", "contains", "arbitrary_key", "stash_in_path");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern STASH_IN_STRING = Pattern.compile("\\$\\{([^}]+)}");

    /** One file: its setup and teardown sections and its tests, in file order. */
    public record Suite(String name, List<JsonNode> setup, List<JsonNode> teardown, Map<String, List<JsonNode>> tests) {}

    /** Why a test was skipped, or null when it ran. */
    public record Outcome(String skipped) {}

    private final RestApiSpec spec;
    private final String baseUrl;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, JsonNode> stash = new HashMap<>();
    private JsonNode body = JSON.nullNode();

    public YamlRestRunner(List<Path> specDirectories, String baseUrl, String authorization) {
        this.spec = RestApiSpec.load(specDirectories);
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = authorization;
    }

    Set<String> apis() {
        return spec.names();
    }

    /** Reads a test file (one or more YAML documents); every {@code do} must name an API the specs define. */
    public Suite parse(Path file) throws IOException {
        List<JsonNode> setup = new ArrayList<>();
        List<JsonNode> teardown = new ArrayList<>();
        Map<String, List<JsonNode>> tests = new LinkedHashMap<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                for (var it = doc.fields(); it.hasNext();) {
                    var e = it.next();
                    List<JsonNode> sections = new ArrayList<>();
                    e.getValue().forEach(sections::add);
                    for (JsonNode section : sections) {
                        if (section.has("do")) {
                            spec.api(apiName(section.get("do")));
                        }
                    }
                    switch (e.getKey()) {
                        case "setup" -> setup.addAll(sections);
                        case "teardown" -> teardown.addAll(sections);
                        default -> {
                            if (tests.put(e.getKey(), sections) != null) {
                                throw new IllegalArgumentException(file + ": test [" + e.getKey() + "] is defined twice");
                            }
                        }
                    }
                }
            }
        }
        return new Suite(file.getFileName().toString(), setup, teardown, tests);
    }

    /** Runs one test of a suite: setup, the test, teardown (also after a failure). */
    public Outcome run(Suite suite, String test) throws IOException {
        stash.clear();
        body = JSON.nullNode();
        String skip = skipReason(suite.setup());
        if (skip == null) {
            skip = skipReason(suite.tests().get(test));
        }
        if (skip != null) {
            return new Outcome(skip);
        }
        try {
            for (JsonNode section : suite.setup()) {
                execute(section);
            }
            for (JsonNode section : suite.tests().get(test)) {
                execute(section);
            }
        } finally {
            for (JsonNode section : suite.teardown()) {
                execute(section);
            }
        }
        return new Outcome(null);
    }

    private static String skipReason(List<JsonNode> sections) {
        for (JsonNode section : sections) {
            JsonNode skip = section.get("skip");
            if (skip == null) {
                continue;
            }
            List<String> features = new ArrayList<>();
            JsonNode f = skip.path("features");
            if (f.isArray()) {
                f.forEach(x -> features.add(x.asText()));
            } else if (f.isTextual()) {
                features.add(f.asText());
            }
            for (String feature : features) {
                if (FEATURES.contains(feature) == false) {
                    return "feature [" + feature + "] is not supported by this runner";
                }
            }
            if (skip.has("version") || skip.has("cluster_features")) {
                return "skip: " + skip.path("reason").asText(skip.toString());
            }
        }
        return null;
    }

    private void execute(JsonNode section) throws IOException {
        var it = section.fields();
        var e = it.next();
        String kind = e.getKey();
        JsonNode arg = e.getValue();
        switch (kind) {
            case "skip" -> {
                // decided before running
            }
            case "do" -> doSection(arg);
            case "set" -> arg.fields().forEachRemaining(s -> stash.put(s.getValue().asText(), evaluate(s.getKey())));
            case "match" -> each(arg, (path, expected) -> match(path, resolve(expected)));
            case "length" -> each(arg, (path, expected) -> {
                JsonNode v = evaluate(path);
                int size = v.isArray() || v.isObject() ? v.size() : v.isTextual() ? v.asText().length() : -1;
                check(size == resolve(expected).asInt(), "length of [" + path + "] is " + size + ", expected " + expected + " in " + body);
            });
            case "is_true" -> {
                JsonNode v = evaluate(arg.asText());
                check(truthy(v), "[" + arg.asText() + "] is not true: " + v + " in " + body);
            }
            case "is_false" -> {
                JsonNode v = evaluate(arg.asText());
                check(truthy(v) == false, "[" + arg.asText() + "] is not false: " + v + " in " + body);
            }
            case "gt", "gte", "lt", "lte" -> each(arg, (path, expected) -> {
                BigDecimal actual = number(evaluate(path), path);
                int c = actual.compareTo(number(resolve(expected), path));
                boolean ok = switch (kind) {
                    case "gt" -> c > 0;
                    case "gte" -> c >= 0;
                    case "lt" -> c < 0;
                    default -> c <= 0;
                };
                check(ok, "[" + path + "] = " + actual + " is not " + kind + " " + expected);
            });
            case "contains" -> each(arg, (path, expected) -> {
                JsonNode v = evaluate(path);
                JsonNode want = resolve(expected);
                boolean found = false;
                for (JsonNode x : v) {
                    found |= want.isObject() ? subset(want, x) : same(want, x);
                }
                check(found, "[" + path + "] = " + v + " does not contain " + want);
            });
            default -> throw new IllegalArgumentException("unsupported section [" + kind + "]");
        }
    }

    private interface PathCheck {
        void check(String path, JsonNode expected) throws IOException;
    }

    private static void each(JsonNode arg, PathCheck check) throws IOException {
        for (var it = arg.fields(); it.hasNext();) {
            var e = it.next();
            check.check(e.getKey(), e.getValue());
        }
    }

    private static void check(boolean ok, String message) {
        if (ok == false) {
            throw new AssertionError(message);
        }
    }

    private static boolean truthy(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText().isEmpty() == false && v.asText().equals("false") == false;
        }
        if (v.isNumber()) {
            return v.decimalValue().signum() != 0;
        }
        return true;
    }

    private static BigDecimal number(JsonNode v, String path) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            throw new AssertionError("[" + path + "] is not a number: " + v, e);
        }
    }

    // ---- do ----

    private void doSection(JsonNode doSection) throws IOException {
        String name = apiName(doSection);
        RestApiSpec.Api api = spec.api(name);
        String expectedCatch = doSection.path("catch").isMissingNode() ? null : doSection.path("catch").asText();
        Map<String, String> headers = new LinkedHashMap<>();
        doSection.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), resolve(h.getValue()).asText()));
        Set<String> expectedWarnings = new HashSet<>();
        doSection.path("warnings").forEach(w -> expectedWarnings.add(w.asText()));
        Set<String> allowedWarnings = new HashSet<>(expectedWarnings);
        doSection.path("allowed_warnings").forEach(w -> allowedWarnings.add(w.asText()));

        JsonNode params = resolve(doSection.get(name));
        Map<String, String> pathParts = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        JsonNode requestBody = null;
        Set<Integer> ignore = new HashSet<>();
        Set<String> allParts = new HashSet<>();
        api.paths().forEach(p -> allParts.addAll(p.parts()));
        if (params != null && params.isObject()) {
            for (var it = params.fields(); it.hasNext();) {
                var p = it.next();
                String key = p.getKey();
                JsonNode value = p.getValue();
                if (key.equals("body")) {
                    requestBody = value;
                } else if (key.equals("ignore")) {
                    if (value.isArray()) {
                        value.forEach(v -> ignore.add(v.asInt()));
                    } else {
                        ignore.add(value.asInt());
                    }
                } else if (allParts.contains(key)) {
                    pathParts.put(key, scalar(value));
                } else if (api.params().contains(key) || RestApiSpec.COMMON_PARAMS.contains(key)) {
                    query.put(key, scalar(value));
                } else {
                    throw new IllegalArgumentException("[" + name + "] does not take parameter [" + key + "] (its spec declares " + api
                        .params() + ")");
                }
            }
        }
        if (requestBody != null && api.body() == false) {
            throw new IllegalArgumentException("[" + name + "] does not take a body");
        }
        if (requestBody == null && api.bodyRequired()) {
            throw new IllegalArgumentException("[" + name + "] requires a body");
        }
        RestApiSpec.ApiPath path = api.pathFor(pathParts.keySet());
        String method = path.methods().get(0);
        if (requestBody != null && method.equals("GET") && path.methods().contains("POST")) {
            method = "POST";
        }
        String url = path.path();
        for (String part : path.parts()) {
            url = url.replace("{" + part + "}", URLEncoder.encode(pathParts.get(part), StandardCharsets.UTF_8));
        }
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));

        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + url + q)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        if (requestBody != null) {
            String text;
            String contentType = "application/json";
            if (requestBody.isArray() && name.endsWith("bulk")) {
                StringBuilder lines = new StringBuilder();
                for (JsonNode line : requestBody) {
                    lines.append(line.isTextual() ? line.asText() : JSON.writeValueAsString(line)).append('\n');
                }
                text = lines.toString();
                contentType = "application/x-ndjson";
            } else {
                text = requestBody.isTextual() ? requestBody.asText() : JSON.writeValueAsString(requestBody);
            }
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                request.header("Content-Type", contentType);
            }
            request.method(method, HttpRequest.BodyPublishers.ofString(text));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int status = response.statusCode();
        String text = response.body();
        body = text == null || text.isBlank() ? JSON.nullNode() : parse(text);
        String call = method + " " + url + q;

        List<String> warnings = new ArrayList<>();
        for (String header : response.headers().allValues("Warning")) {
            Matcher m = Pattern.compile("^\\d{3} \\S+ \"((?:\\\\\"|[^\"])*)\"").matcher(header);
            warnings.add(m.find() ? m.group(1).replace("\\\"", "\"") : header);
        }
        for (String w : warnings) {
            check(allowedWarnings.contains(w), call + " answered an unexpected warning [" + w + "]");
        }
        for (String w : expectedWarnings) {
            check(warnings.contains(w), call + " did not answer the expected warning [" + w + "]; got " + warnings);
        }

        boolean error = status >= 400;
        if (expectedCatch == null) {
            check(error == false || ignore.contains(status), call + " answered " + status + ": " + text);
            return;
        }
        check(error, call + " was expected to fail with [" + expectedCatch + "] but answered " + status + ": " + text);
        switch (expectedCatch) {
            case "bad_request" -> check(status == 400, call + ": expected 400, got " + status + ": " + text);
            case "unauthorized" -> check(status == 401, call + ": expected 401, got " + status + ": " + text);
            case "forbidden" -> check(status == 403, call + ": expected 403, got " + status + ": " + text);
            case "missing" -> check(status == 404, call + ": expected 404, got " + status + ": " + text);
            case "request_timeout" -> check(status == 408, call + ": expected 408, got " + status + ": " + text);
            case "conflict" -> check(status == 409, call + ": expected 409, got " + status + ": " + text);
            case "unavailable" -> check(status == 503, call + ": expected 503, got " + status + ": " + text);
            case "request" -> check(Set.of(400, 401, 403, 404, 408, 409).contains(status) == false, call + ": [request] matches "
                + "errors other than the named ones, got " + status);
            default -> {
                if (isRegex(expectedCatch)) {
                    check(regex(expectedCatch).matcher(text).find(), call + ": the error " + text + " does not match " + expectedCatch);
                } else {
                    throw new IllegalArgumentException("unknown catch [" + expectedCatch + "]");
                }
            }
        }
    }

    private static String apiName(JsonNode doSection) {
        for (var it = doSection.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (Set.of("catch", "headers", "warnings", "allowed_warnings", "node_selector").contains(key) == false) {
                return key;
            }
        }
        throw new IllegalArgumentException("a do section without an API: " + doSection);
    }

    private static String scalar(JsonNode v) {
        if (v.isArray()) {
            StringJoiner j = new StringJoiner(",");
            v.forEach(x -> j.add(x.asText()));
            return j.toString();
        }
        return v.asText();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    // ---- values, stash and paths ----

    /** {@code value} with stash references replaced: {@code $var} for a whole value, {@code ${var}} inside a string. */
    JsonNode resolve(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (s.startsWith("$") && s.startsWith("${") == false && s.length() > 1 && s.matches("\\$[A-Za-z_][A-Za-z0-9_.]*")) {
                return stashed(s.substring(1));
            }
            Matcher m = STASH_IN_STRING.matcher(s);
            if (m.find()) {
                StringBuilder out = new StringBuilder();
                m.reset();
                while (m.find()) {
                    m.appendReplacement(out, Matcher.quoteReplacement(stashed(m.group(1)).asText()));
                }
                m.appendTail(out);
                return TextNode.valueOf(out.toString());
            }
            return value;
        }
        if (value.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                var e = it.next();
                out.set(resolve(TextNode.valueOf(e.getKey())).asText(), resolve(e.getValue()));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            value.forEach(v -> out.add(resolve(v)));
            return out;
        }
        return value;
    }

    private JsonNode stashed(String name) {
        if (name.equals("body")) {
            return body;
        }
        JsonNode v = stash.get(name);
        if (v == null) {
            throw new IllegalArgumentException("nothing stashed under [" + name + "]; stashed: " + stash.keySet());
        }
        return v;
    }

    /** The value at {@code path} of the last response ({@code $body} or an empty path: all of it). */
    JsonNode evaluate(String path) {
        if (path.isEmpty() || path.equals("$body")) {
            return body;
        }
        JsonNode current = body;
        String[] parts = path.split("(?<!\\\\)\\.");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].replace("\\.", ".");
            if (part.startsWith("$")) {
                part = stashed(part.substring(1)).asText();
            }
            if (current == null || current.isMissingNode() || current.isNull()) {
                return JSON.missingNode();
            }
            if (part.equals("_arbitrary_key_")) {
                Iterator<String> names = current.fieldNames();
                if (names.hasNext() == false) {
                    return JSON.missingNode();
                }
                String key = names.next();
                if (i == parts.length - 1) {
                    return TextNode.valueOf(key);
                }
                current = current.get(key);
            } else if (current.isArray() && part.matches("\\d+")) {
                current = current.path(Integer.parseInt(part));
            } else {
                current = current.path(part);
            }
        }
        return current;
    }

    private void match(String path, JsonNode expected) {
        JsonNode actual = evaluate(path);
        if (expected.isTextual() && isRegex(expected.asText())) {
            String text = actual.isTextual() ? actual.asText() : actual.toString();
            check(regex(expected.asText()).matcher(text).find(), "[" + path + "] = " + text + " does not match " + expected.asText());
            return;
        }
        check(same(expected, actual), "[" + path + "] = " + actual + ", expected " + expected + " (response " + body + ")");
    }

    private static boolean isRegex(String s) {
        String t = s.strip();
        return t.length() > 1 && t.startsWith("/") && t.endsWith("/");
    }

    private static Pattern regex(String s) {
        String t = s.strip();
        return Pattern.compile(t.substring(1, t.length() - 1), Pattern.COMMENTS);
    }

    /** Equality with numbers compared by value (1 equals 1.0) and null matching a missing value. */
    static boolean same(JsonNode expected, JsonNode actual) {
        if (expected == null || expected.isNull()) {
            return actual == null || actual.isNull() || actual.isMissingNode();
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (var it = expected.fields(); it.hasNext();) {
                var e = it.next();
                if (same(e.getValue(), actual.path(e.getKey())) == false) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (same(expected.get(i), actual.get(i)) == false) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isTextual() && actual.isNumber() || expected.isNumber() && actual.isTextual()) {
            return expected.asText().equals(actual.asText());
        }
        return expected.equals(actual);
    }

    private static boolean subset(JsonNode expected, JsonNode actual) {
        if (actual.isObject() == false) {
            return false;
        }
        for (var it = expected.fields(); it.hasNext();) {
            var e = it.next();
            if (same(e.getValue(), actual.path(e.getKey())) == false) {
                return false;
            }
        }
        return true;
    }
}
