package dev.mfrecs.trainer.setup;

import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mfrecs.contract.ModelIndices;

import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code mfrecs setup} does to a cluster, idempotently, so that a cluster operator's first hour needs no checkout: the
 * interactions index template, optionally an interactions data stream ({@code @timestamp}) with an ILM policy, and a check that
 * every node runs the plugin at this trainer's version (reading {@code _nodes/plugins}, naming the nodes that do not). The
 * hidden metadata and run-record indices are created by the trainer's {@code VersionManager#ensureIndices}, which the command
 * calls too. Every request is an idempotent PUT: running setup twice changes nothing the second time.
 * <p>
 * Uses the low-level client: the few endpoints are plain JSON, and a cluster without ILM (Elasticsearch's minimal {@code
 * integ-test-zip} distribution) answers its {@code _ilm} paths with "no handler found", which is reported and not an error.
 */
public final class ClusterSetup {

    /** The plugin's name on a node, as {@code _nodes/plugins} and {@code _cat/plugins} list it. */
    public static final String PLUGIN_NAME = "mf-recommendations";
    /** The composable template of the interactions index (pattern {@code interactions*}). */
    public static final String INTERACTIONS_TEMPLATE = "mfrecs-interactions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Rest5Client client;

    public ClusterSetup(Rest5Client client) {
        this.client = client;
    }

    /** One node and the plugin version it runs ({@code null}: not installed). */
    public record NodePlugin(String id, String name, String elasticsearchVersion, String pluginVersion) {}

    /** Every node's plugin, checked against the version this trainer expects. */
    public record PluginCheck(String expectedVersion, List<NodePlugin> nodes) {

        /** The nodes without the plugin, or with another version of it. */
        public List<NodePlugin> problems() {
            return nodes.stream().filter(n -> expectedVersion.equals(n.pluginVersion()) == false).toList();
        }

        public boolean ok() {
            return nodes.isEmpty() == false && problems().isEmpty();
        }

        /** One line per node a person can act on. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            for (NodePlugin n : nodes) {
                String state;
                if (n.pluginVersion() == null) {
                    state = "MISSING: install the plugin zip built for Elasticsearch " + n.elasticsearchVersion() + " and restart the node";
                } else if (expectedVersion.equals(n.pluginVersion())) {
                    state = "ok";
                } else {
                    state = "VERSION MISMATCH: runs " + n.pluginVersion() + ", expected " + expectedVersion + " (install the matching "
                        + "release and restart the node)";
                }
                lines.add("node [" + n.name() + "] (Elasticsearch " + n.elasticsearchVersion() + "): " + PLUGIN_NAME + " " + state);
            }
            return lines;
        }
    }

    /** A JSON answer: status and parsed body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A path the cluster has no handler for (a module that is not installed). */
        boolean noHandler() {
            return (status == 400 || status == 404 || status == 405) && body.toString().contains("no handler found");
        }
    }

    Answer call(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        }
        String text;
        try {
            text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
        } catch (ParseException e) {
            throw new IOException(e);
        }
        JsonNode parsed;
        try {
            parsed = text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            parsed = JSON.getNodeFactory().textNode(text);
        }
        return new Answer(response.getStatusCode(), parsed);
    }

    private Answer callOk(String method, String path, String body) throws IOException {
        Answer a = call(method, path, body);
        if (a.ok() == false) {
            throw new IOException(method + " " + path + " answered " + a.status() + ": " + a.body());
        }
        return a;
    }

    /** Reads {@code _nodes/plugins} and compares every node's plugin version with {@code expectedVersion}. */
    public PluginCheck checkPlugin(String expectedVersion) throws IOException {
        JsonNode nodes = callOk("GET", "/_nodes/plugins", null).body().path("nodes");
        List<NodePlugin> out = new ArrayList<>();
        for (var it = nodes.fields(); it.hasNext();) {
            var e = it.next();
            JsonNode node = e.getValue();
            String version = null;
            for (JsonNode p : node.path("plugins")) {
                if (PLUGIN_NAME.equals(p.path("name").asText())) {
                    version = p.path("version").asText();
                }
            }
            out.add(new NodePlugin(e.getKey(), node.path("name").asText(), node.path("version").asText(), version));
        }
        return new PluginCheck(expectedVersion, out);
    }

    /** Puts the interactions index template (pattern {@code interactions*}). */
    public void putInteractionsTemplate() throws IOException {
        callOk("PUT", "/_index_template/" + INTERACTIONS_TEMPLATE, ModelIndices.template("interactions.json"));
    }

    /** What {@link #dataStream} did. */
    public record DataStreamResult(String name, String template, String policy, boolean ilmAvailable, boolean created) {}

    /**
     * An interactions data stream {@code name}: an ILM policy {@code mfrecs-<name>} (roll over at {@code rolloverAge} or 50 GB per
     * primary shard, delete {@code retention} after rollover) when the cluster has ILM, and a template {@code mfrecs-<name>} for
     * exactly that name with the interactions mapping, its time field {@code @timestamp}, and the policy. The stream itself is
     * created when it does not exist (and otherwise on the first event written).
     */
    public DataStreamResult dataStream(String name, Duration retention, Duration rolloverAge) throws IOException {
        String policy = "mfrecs-" + name;
        String template = "mfrecs-" + name;
        Answer ilm = call("PUT", "/_ilm/policy/" + policy, ilmPolicy(retention, rolloverAge));
        boolean ilmAvailable;
        if (ilm.ok()) {
            ilmAvailable = true;
        } else if (ilm.noHandler()) {
            ilmAvailable = false;
        } else {
            throw new IOException("PUT /_ilm/policy/" + policy + " answered " + ilm.status() + ": " + ilm.body());
        }
        callOk("PUT", "/_index_template/" + template, dataStreamTemplate(name, ilmAvailable ? policy : null));
        Answer existing = call("GET", "/_data_stream/" + name, null);
        boolean created = false;
        if (existing.status() == 404 || existing.noHandler()) {
            Answer create = call("PUT", "/_data_stream/" + name, null);
            if (create.ok()) {
                created = true;
            } else if (create.noHandler() == false && create.body().toString().contains("already_exists") == false) {
                throw new IOException("PUT /_data_stream/" + name + " answered " + create.status() + ": " + create.body());
            }
        } else if (existing.ok() == false) {
            throw new IOException("GET /_data_stream/" + name + " answered " + existing.status() + ": " + existing.body());
        }
        return new DataStreamResult(name, template, ilmAvailable ? policy : null, ilmAvailable, created);
    }

    /** The ILM policy body: hot with rollover, then delete. */
    static String ilmPolicy(Duration retention, Duration rolloverAge) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode policy = root.putObject("policy");
        policy.putObject("_meta").put("description", "mfrecs: interaction events; keep at least as long as the trainer's --since window");
        ObjectNode phases = policy.putObject("phases");
        phases.putObject("hot").putObject("actions").putObject("rollover").put("max_age", timeValue(rolloverAge)).put(
            "max_primary_shard_size", "50gb");
        ObjectNode delete = phases.putObject("delete");
        delete.put("min_age", timeValue(retention));
        delete.putObject("actions").putObject("delete");
        return JSON.writeValueAsString(root);
    }

    /** The data stream's template: the interactions mapping with {@code @timestamp} as its time field. */
    static String dataStreamTemplate(String name, String policy) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelIndices.template("interactions.json"));
        root.putArray("index_patterns").add(name);
        root.put("priority", 300);
        root.putObject("data_stream");
        ((ObjectNode) root.path("_meta")).put("description", "mfrecs: interaction events as a data stream (time field @timestamp)");
        ObjectNode template = (ObjectNode) root.path("template");
        ObjectNode index = (ObjectNode) template.path("settings").path("index");
        index.remove("refresh_interval");
        if (policy != null) {
            index.putObject("lifecycle").put("name", policy);
        }
        ObjectNode properties = (ObjectNode) template.path("mappings").path("properties");
        properties.remove("timestamp");
        properties.putObject("@timestamp").put("type", "date");
        return JSON.writeValueAsString(root);
    }

    /** An Elasticsearch time value: whole days, hours, minutes or seconds. */
    static String timeValue(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return String.format(Locale.ROOT, "%ds", s);
    }
}
