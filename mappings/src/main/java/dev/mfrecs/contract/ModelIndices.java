package dev.mfrecs.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Naming rules and field names of everything a model publishes, shared by the trainer (which writes) and the plugin
 * (which reads), so the two can never disagree on where a model lives.
 * <p>
 * A model {@code retail} at version 3 lives in {@code retail-items-v3} and {@code retail-users-v3}, reached through the
 * aliases {@code retail-items} and {@code retail-users}; its metadata is the document {@code retail-v3} of the hidden
 * index {@code mf-models}. The live version is the one the items alias points to.
 */
public final class ModelIndices {

    /** Hidden index holding one immutable metadata document per model version, and each model's lock and state documents. */
    public static final String METADATA_INDEX = "mf-models";
    /** Hidden index holding one {@link TrainingRun} record per training run. */
    public static final String RUNS_INDEX = "mf-training-runs";

    public static final String ITEM_ID = "item_id";
    public static final String USER_ID = "user_id";
    public static final String VECTOR = "vector";
    /** The same item vector under cosine similarity: what similar-items queries rank by, free of popularity (norm). */
    public static final String VECTOR_COSINE = "vector_cosine";
    /** Explicit models only: the item's bias {@code b_i} (also the vector's last component) and the user's bias {@code b_u}. */
    public static final String BIAS = "bias";
    public static final String POPULARITY = "popularity";
    /** A stored user's training history, largest value first: what exclude-seen and explanations of that user use. */
    public static final String SEEN_ITEMS = "seen_items";
    /** The values of {@link #SEEN_ITEMS}, aligned with it: the matrix values the user was trained on. */
    public static final String SEEN_VALUES = "seen_values";
    /**
     * How many items the user was trained on; more than {@link #SEEN_ITEMS} holds when the stored history was capped, and then
     * the plugin reads the whole history from the interactions index for exclusion and explanation.
     */
    public static final String SEEN_COUNT = "seen_count";
    /**
     * How an item's vector was made: {@code training}, {@code events} (solved between trainings from the stored users who touched
     * it) or {@code attributes} (predicted from catalog fields, provisional until the item has events).
     */
    public static final String VECTOR_SOURCE = "vector_source";
    public static final String MODEL = "model";
    public static final String MODEL_VERSION = "model_version";

    private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,63}");
    private static final Pattern ITEMS_INDEX = Pattern.compile("(.+)-items-v([0-9]{1,9})");

    private ModelIndices() {}

    /** Returns null when the name is valid, otherwise a message naming the bad value. */
    public static String validateModelName(String model) {
        if (model == null || MODEL_NAME.matcher(model).matches() == false) {
            return "model name [" + model + "] must match [a-z0-9][a-z0-9_]{0,63}";
        }
        return null;
    }

    public static String itemsAlias(String model) {
        return model + "-items";
    }

    public static String usersAlias(String model) {
        return model + "-users";
    }

    public static String itemsIndex(String model, int version) {
        return model + "-items-v" + version;
    }

    public static String usersIndex(String model, int version) {
        return model + "-users-v" + version;
    }

    public static String metadataId(String model, int version) {
        return model + "-v" + version;
    }

    /** The version encoded in a concrete items index name, or -1 when the name is not one of ours. */
    public static int versionOfItemsIndex(String model, String index) {
        var m = ITEMS_INDEX.matcher(index);
        if (m.matches() && m.group(1).equals(model)) {
            return Integer.parseInt(m.group(2));
        }
        return -1;
    }

    /** Reads one of the JSON files in {@code mappings/templates}, e.g. {@code item-vectors.json}. */
    public static String template(String file) {
        try (InputStream in = ModelIndices.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no mapping template [" + file + "] on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
