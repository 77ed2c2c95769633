package dev.mfrecs.it.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST APIs a YAML test may call, read from rest-api-spec JSON files as Elasticsearch's YAML runner reads them: for each API
 * its paths (with their parts and methods), its query parameters and whether it takes a body. A {@code do} section's
 * parameters pick the path whose parts they fill; the rest become query parameters, which must be declared. A spec file that
 * lacks a required key fails loading, as it would in Elasticsearch's parser.
 */
final class RestApiSpec {

    /** Parameters every API accepts (Elasticsearch's common parameters and the runner's own {@code ignore}). */
    static final Set<String> COMMON_PARAMS = Set.of("ignore", "error_trace", "filter_path", "human", "pretty", "format");

    record ApiPath(String path, List<String> methods, Set<String> parts) {}

    record Api(String name, List<ApiPath> paths, Set<String> params, boolean body, boolean bodyRequired) {

        /** The path whose parts {@code given} fills, the one with the most parts when several do. */
        ApiPath pathFor(Set<String> given) {
            ApiPath best = null;
            for (ApiPath p : paths) {
                if (given.containsAll(p.parts()) && (best == null || p.parts().size() > best.parts().size())) {
                    best = p;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException("[" + name + "] no path of the spec takes the parameters " + given);
            }
            return best;
        }
    }

    private static final Pattern PART = Pattern.compile("\\{([^}]+)}");
    private final Map<String, Api> apis = new LinkedHashMap<>();

    /** Loads every {@code *.json} of the given directories; a name defined twice fails. */
    static RestApiSpec load(List<Path> directories) {
        RestApiSpec spec = new RestApiSpec();
        ObjectMapper json = new ObjectMapper();
        for (Path dir : directories) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    JsonNode root = json.readTree(file.toFile());
                    var names = root.fieldNames();
                    String name = names.next();
                    if (names.hasNext()) {
                        throw new IllegalArgumentException(file + ": one API per file");
                    }
                    if (file.getFileName().toString().equals(name + ".json") == false) {
                        throw new IllegalArgumentException(file + ": the file must be named after its API [" + name + "]");
                    }
                    Api api = parse(file, name, root.get(name));
                    if (spec.apis.put(name, api) != null) {
                        throw new IllegalArgumentException(file + ": API [" + name + "] is defined twice");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return spec;
    }

    private static Api parse(Path file, String name, JsonNode api) {
        for (String required : List.of("documentation", "stability", "visibility", "url")) {
            if (api.has(required) == false) {
                throw new IllegalArgumentException(file + ": [" + name + "] lacks [" + required + "]");
            }
        }
        List<ApiPath> paths = new ArrayList<>();
        for (JsonNode p : api.path("url").path("paths")) {
            String path = p.path("path").asText();
            Set<String> parts = new LinkedHashSet<>();
            Matcher m = PART.matcher(path);
            while (m.find()) {
                parts.add(m.group(1));
                if (p.path("parts").has(m.group(1)) == false) {
                    throw new IllegalArgumentException(file + ": part [" + m.group(1) + "] of [" + path + "] is not described");
                }
            }
            List<String> methods = new ArrayList<>();
            p.path("methods").forEach(x -> methods.add(x.asText()));
            if (methods.isEmpty()) {
                throw new IllegalArgumentException(file + ": [" + path + "] has no methods");
            }
            paths.add(new ApiPath(path, methods, parts));
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(file + ": [" + name + "] has no paths");
        }
        Set<String> params = new LinkedHashSet<>();
        api.path("params").fieldNames().forEachRemaining(params::add);
        return new Api(name, paths, params, api.has("body"), api.path("body").path("required").asBoolean(false));
    }

    Api api(String name) {
        Api api = apis.get(name);
        if (api == null) {
            throw new IllegalArgumentException("no rest-api-spec for API [" + name + "]; known: " + apis.keySet());
        }
        return api;
    }

    Set<String> names() {
        return apis.keySet();
    }
}
