package dev.mfrecs.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict access to one object of a parsed metadata document (a {@code Map} as a JSON parser returns it): every read
 * names the field, a required field that is missing or has the wrong type is a {@link MetadataException} naming its full path,
 * and {@link #done()} rejects fields the contract does not declare. JSON number types are normalized (a parser may hand back an
 * int, a long or a double for the same field).
 * <p>
 * It exists so that the contract's {@code fromMap} methods read like the schema they implement, and so that no reader of the
 * metadata ever falls back to a default where a value is missing.
 */
final class MetadataReader {

    private final String document;
    private final String path;
    private final Map<String, Object> map;
    private final Set<String> read = new HashSet<>();

    private MetadataReader(String document, String path, Map<String, Object> map) {
        this.document = document;
        this.path = path;
        this.map = map;
    }

    /** Reads the top-level object of {@code document} (its id, for messages). */
    static MetadataReader of(String document, Map<String, Object> map) {
        if (map == null) {
            throw new MetadataException("", "model metadata [" + document + "] is empty");
        }
        return new MetadataReader(document, "", map);
    }

    private String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private MetadataException error(String field, String what) {
        return new MetadataException(at(field), "model metadata [" + document + "] " + what + " [" + at(field) + "]");
    }

    private Object get(String field) {
        read.add(field);
        return map.get(field);
    }

    /** The keys of this object, for objects whose keys are data (field names, event types). */
    Set<String> keys() {
        return Set.copyOf(map.keySet());
    }

    boolean has(String field) {
        return map.get(field) != null;
    }

    String string(String field) {
        Object v = get(field);
        if (v instanceof String s) {
            return s;
        }
        throw v == null ? error(field, "lacks the required field") : error(field, "needs a string in");
    }

    /**
     * An optional value: the key must be present (the contract writes absent values as an explicit {@code null}), so a document
     * whose fields were filtered away (field-level security) is refused rather than read as if the settings were unset.
     */
    private Object present(String field) {
        if (map.containsKey(field) == false) {
            read.add(field);
            throw error(field, "lacks the field (write null for an unset value)");
        }
        return get(field);
    }

    String optionalString(String field) {
        Object v = present(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw error(field, "needs a string or null in");
    }

    private Number number(String field) {
        Object v = get(field);
        if (v instanceof Number n) {
            return n;
        }
        throw v == null ? error(field, "lacks the required field") : error(field, "needs a number in");
    }

    int integer(String field) {
        Number n = number(field);
        if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw error(field, "needs an integer in");
        }
        return n.intValue();
    }

    long longValue(String field) {
        Number n = number(field);
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw error(field, "needs an integer in");
        }
        return n.longValue();
    }

    Long optionalLong(String field) {
        return present(field) == null ? null : longValue(field);
    }

    float floatValue(String field) {
        float f = number(field).floatValue();
        if (Float.isFinite(f) == false) {
            throw error(field, "needs a finite number in");
        }
        return f;
    }

    Float optionalFloat(String field) {
        return present(field) == null ? null : floatValue(field);
    }

    double doubleValue(String field) {
        double v = number(field).doubleValue();
        if (Double.isFinite(v) == false) {
            throw error(field, "needs a finite number in");
        }
        return v;
    }

    boolean bool(String field) {
        Object v = get(field);
        if (v instanceof Boolean b) {
            return b;
        }
        throw v == null ? error(field, "lacks the required field") : error(field, "needs a boolean in");
    }

    /** A required nested object. */
    @SuppressWarnings("unchecked")
    MetadataReader object(String field) {
        Object v = get(field);
        if (v instanceof Map<?, ?> m) {
            return new MetadataReader(document, at(field), (Map<String, Object>) m);
        }
        throw v == null ? error(field, "lacks the required object") : error(field, "needs an object in");
    }


    /** A nested object whose key must be present but may be null (see {@link #present}). */
    MetadataReader optionalObject(String field) {
        return present(field) == null ? null : object(field);
    }

    List<String> strings(String field) {
        Object v = get(field);
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                } else {
                    throw error(field, "needs a list of strings in");
                }
            }
            return List.copyOf(out);
        }
        throw v == null ? error(field, "lacks the required field") : error(field, "needs a list in");
    }

    float[] floats(String field) {
        Object v = get(field);
        if (v instanceof float[] f) {
            return f;
        }
        if (v instanceof List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (list.get(i) instanceof Number n && Float.isFinite(n.floatValue())) {
                    out[i] = n.floatValue();
                } else {
                    throw error(field, "needs a list of finite numbers in");
                }
            }
            return out;
        }
        throw v == null ? error(field, "lacks the required field") : error(field, "needs a list of numbers in");
    }

    /** An object of string keys to finite numbers, e.g. event weights. */
    Map<String, Float> floatMap(String field) {
        MetadataReader m = object(field);
        Map<String, Float> out = new LinkedHashMap<>();
        for (String key : m.map.keySet()) {
            out.put(key, m.floatValue(key));
        }
        return out;
    }

    /** An object of string keys to strings, numbers or booleans: informational details no reader interprets. */
    Map<String, Object> scalarMap(String field) {
        MetadataReader m = object(field);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.map.entrySet()) {
            m.read.add(e.getKey());
            if (e.getValue() instanceof String || e.getValue() instanceof Number || e.getValue() instanceof Boolean) {
                out.put(e.getKey(), e.getValue());
            } else if (e.getValue() != null) {
                throw m.error(e.getKey(), "needs a string, number or boolean in");
            }
        }
        return out;
    }

    /** This whole object is invalid (its values contradict each other, or a constructor refused them). */
    MetadataException invalid(String message) {
        String where = path.isEmpty() ? "" : " [" + path + "]";
        return new MetadataException(path, "model metadata [" + document + "] has an invalid" + (where.isEmpty() ? " document" : where)
            + ": " + message);
    }

    MetadataException invalid(String field, String message) {
        return new MetadataException(at(field), "model metadata [" + document + "] has an invalid [" + at(field) + "]: " + message);
    }

    /** Fails on any field of this object that the contract does not declare (one that no read asked for). */
    void done() {
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(read);
        if (unknown.isEmpty() == false) {
            List<String> paths = unknown.stream().map(this::at).toList();
            throw new MetadataException(paths.get(0), "model metadata [" + document + "] has fields the contract does not declare "
                + paths);
        }
    }
}
