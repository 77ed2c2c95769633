package dev.mfrecs.it.yaml;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.VersionManager;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's YAML REST tests ({@code plugin/src/yamlRestTest/resources/rest-api-spec/test}, Elasticsearch's format and
 * location for a plugin's REST tests) against the real node with the built plugin installed, through the plugin's rest-api-spec
 * files and a subset of Elasticsearch's own for the core APIs the tests' setup uses. One JUnit test per YAML test. Run by
 * {@link YamlRestRunner}, because Elasticsearch's YAML runner is not available to a Maven build (see its javadoc).
 */
class YamlRestIT {

    static final Path PLUGIN_REST = Path.of("..", "plugin", "src", "yamlRestTest", "resources", "rest-api-spec");
    static final Path CORE_SPECS = Path.of("src", "test", "resources", "rest-api-spec", "api");

    private static YamlRestRunner runner;

    @BeforeAll
    static void node() throws IOException {
        // The shared node's other suites expect the hidden metadata index with the contract's mapping; make it first, as
        // mfrecs setup does on a cluster (a YAML setup's own create of the index is then ignored).
        new VersionManager(SharedNode.client(), ProgressLog.stderr()).ensureIndices();
        runner = new YamlRestRunner(List.of(PLUGIN_REST.resolve("api"), CORE_SPECS), SharedNode.node().url(), null);
    }

    @TestFactory
    Stream<DynamicNode> pluginYamlTests() throws IOException {
        List<DynamicNode> suites = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(PLUGIN_REST.resolve("test").resolve("mf"))) {
            files = listed.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no YAML tests under " + PLUGIN_REST.toAbsolutePath());
        for (Path file : files) {
            YamlRestRunner.Suite suite = runner.parse(file);
            assertFalse(suite.tests().isEmpty(), file + " has no tests");
            List<DynamicTest> tests = new ArrayList<>();
            for (String test : suite.tests().keySet()) {
                tests.add(DynamicTest.dynamicTest(test, () -> {
                    YamlRestRunner.Outcome outcome = runner.run(suite, test);
                    Assumptions.assumeTrue(outcome.skipped() == null, outcome.skipped());
                }));
            }
            suites.add(DynamicContainer.dynamicContainer(suite.name(), tests));
        }
        return suites.stream();
    }

    @TestFactory
    Stream<DynamicNode> everyPluginApiIsExercisedByAYamlTest() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> listed = Files.list(PLUGIN_REST.resolve("test").resolve("mf"))) {
            for (Path p : listed.toList()) {
                all.append(Files.readString(p));
            }
        }
        return runner.apis().stream().filter(api -> api.startsWith("mf.")).map(api -> DynamicTest.dynamicTest(api, () -> assertTrue(all
            .toString().contains(api + ":"), "no YAML test calls [" + api + "]")));
    }
}
