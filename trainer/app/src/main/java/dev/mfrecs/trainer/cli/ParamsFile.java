package dev.mfrecs.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code tune --best} file as {@code train --params} reads it: the model it was tuned for and its parameters as text (numbers as
 * written, choices such as {@code "log"} as they are), which {@link HyperparameterOptions#settings} then checks against the model's
 * algorithm exactly like command-line options. Exists so the file is read the same way for every algorithm and every path.
 *
 * @param model  the file's {@code model}, e.g. {@code ials}
 * @param params parameter name to its text, in file order
 */
public record ParamsFile(String model, Map<String, String> params) {

    /** Reads {@code file}; a missing model or a non-scalar parameter is an error naming {@code --params}. */
    public static ParamsFile read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("[--params] cannot read [" + file + "]: " + e.getMessage(), e);
        }
        String model = root.path("model").asText("");
        if (model.isEmpty()) {
            throw new IllegalArgumentException("[--params] [" + file + "] has no [model]");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("params").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() == false) {
                throw new IllegalArgumentException("[--params] parameter [" + e.getKey() + "] in [" + file + "] is not a number or a word");
            }
            params.put(e.getKey(), e.getValue().asText());
        }
        return new ParamsFile(model, params);
    }
}
