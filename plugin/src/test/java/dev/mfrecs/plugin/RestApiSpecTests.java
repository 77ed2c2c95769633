package dev.mfrecs.plugin;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.XContentType;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every REST route the plugin registers has a rest-api-spec file ({@code src/yamlRestTest/resources/rest-api-spec/api}, the
 * format of Elasticsearch's own specs, which its YAML test runner and the official clients' generators read), and every path
 * a spec declares is a route the plugin serves: adding an endpoint without its spec fails here.
 */
public class RestApiSpecTests extends ESTestCase {

    static final Path SPECS = Path.of("src/yamlRestTest/resources/rest-api-spec/api");

    /** "METHOD /path" with every {param} written as {}. */
    private static String key(String method, String path) {
        return method + " " + path.replaceAll("\\{[^}]+}", "{}");
    }

    @SuppressWarnings("unchecked")
    public void testEveryRouteHasASpecAndEverySpecARoute() throws IOException {
        Set<String> routes = new TreeSet<>();
        List<RestHandler> handlers = List.copyOf(new MfRecommendationsPlugin().getRestHandlers(Settings.EMPTY, null, null, null, null, null,
            null, null, null));
        for (RestHandler handler : handlers) {
            for (RestHandler.Route route : handler.routes()) {
                routes.add(key(route.getMethod().name(), route.getPath()));
            }
        }
        Set<String> specified = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SPECS, "*.json")) {
            for (Path file : files) {
                Map<String, Object> root = XContentHelper.convertToMap(XContentType.JSON.xContent(), Files.readString(file), false);
                assertEquals(file + " holds one API", 1, root.size());
                String name = root.keySet().iterator().next();
                assertEquals(file + " is named after its API", name + ".json", file.getFileName().toString());
                Map<String, Object> api = (Map<String, Object>) root.get(name);
                for (String required : List.of("documentation", "stability", "visibility", "url")) {
                    assertTrue(file + " lacks [" + required + "]", api.containsKey(required));
                }
                for (Map<String, Object> path : (List<Map<String, Object>>) ((Map<String, Object>) api.get("url")).get("paths")) {
                    for (String method : (List<String>) path.get("methods")) {
                        specified.add(key(method, (String) path.get("path")));
                    }
                }
            }
        }
        assertEquals(routes, specified);
        assertTrue("the plugin serves at least the nine _mf endpoints: " + routes, routes.size() >= 10);
    }
}
