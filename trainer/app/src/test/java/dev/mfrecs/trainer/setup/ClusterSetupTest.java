package dev.mfrecs.trainer.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bodies setup sends and how it reads the plugin check, without a cluster (the integration tests run it on a real node). */
class ClusterSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dataStreamTemplateUsesTimestampAndThePolicy() throws IOException {
        JsonNode t = JSON.readTree(ClusterSetup.dataStreamTemplate("events", "mfrecs-events"));
        assertEquals("events", t.path("index_patterns").path(0).asText());
        assertTrue(t.path("data_stream").isObject());
        assertTrue(t.path("priority").asInt() > 200, "above the interactions* template, which also matches");
        JsonNode properties = t.path("template").path("mappings").path("properties");
        assertEquals("date", properties.path("@timestamp").path("type").asText());
        assertTrue(properties.path("timestamp").isMissingNode());
        assertEquals("keyword", properties.path("user_id").path("type").asText());
        assertEquals("mfrecs-events", t.path("template").path("settings").path("index").path("lifecycle").path("name").asText());
        JsonNode withoutIlm = JSON.readTree(ClusterSetup.dataStreamTemplate("events", null));
        assertTrue(withoutIlm.path("template").path("settings").path("index").path("lifecycle").isMissingNode());
    }

    @Test
    void ilmPolicyRollsOverAndDeletes() throws IOException {
        JsonNode p = JSON.readTree(ClusterSetup.ilmPolicy(Duration.ofDays(365), Duration.ofHours(36)));
        assertEquals("36h", p.path("policy").path("phases").path("hot").path("actions").path("rollover").path("max_age").asText());
        assertEquals("365d", p.path("policy").path("phases").path("delete").path("min_age").asText());
        assertTrue(p.path("policy").path("phases").path("delete").path("actions").has("delete"));
        assertEquals("90s", ClusterSetup.timeValue(Duration.ofSeconds(90)));
        assertEquals("5m", ClusterSetup.timeValue(Duration.ofMinutes(5)));
    }

    @Test
    void pluginCheckNamesNodesWithoutTheRightVersion() {
        ClusterSetup.PluginCheck check = new ClusterSetup.PluginCheck("0.2.0", List.of(
            new ClusterSetup.NodePlugin("a", "es-1", "9.1.0", "0.2.0"),
            new ClusterSetup.NodePlugin("b", "es-2", "9.1.0", null),
            new ClusterSetup.NodePlugin("c", "es-3", "9.1.0", "0.1.0")));
        assertFalse(check.ok());
        assertEquals(List.of("es-2", "es-3"), check.problems().stream().map(ClusterSetup.NodePlugin::name).toList());
        List<String> lines = check.describe();
        assertTrue(lines.get(0).endsWith("mf-recommendations ok"), lines.get(0));
        assertTrue(lines.get(1).contains("MISSING"), lines.get(1));
        assertTrue(lines.get(2).contains("runs 0.1.0, expected 0.2.0"), lines.get(2));
        assertFalse(new ClusterSetup.PluginCheck("0.2.0", List.of()).ok(), "no node answered: not ok");
    }
}
