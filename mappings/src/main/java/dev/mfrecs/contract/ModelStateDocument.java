package dev.mfrecs.contract;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model remembers between runs, in the document {@code _state-<model>} of {@value ModelIndices#METADATA_INDEX}: the last
 * version number handed out (so numbers are never reused, even after every version was deleted) and the version an operator
 * pinned by rolling back (a scheduled trainer then trains but does not publish until the pin is lifted). Changed only by the
 * holder of the model's lock, with writes conditional on the document's sequence number.
 *
 * @param lastVersion   the highest version number ever reserved, 0 for none
 * @param pinnedVersion the version a rollback pinned live, or null
 */
public record ModelStateDocument(String model, int lastVersion, Integer pinnedVersion, Instant pinnedAt, String pinnedBy) {

    private static final String STATE_MODEL = "state_model";
    private static final String LAST_VERSION = "last_version";
    private static final String PINNED_VERSION = "pinned_version";
    private static final String PINNED_AT = "pinned_at";
    private static final String PINNED_BY = "pinned_by";

    public ModelStateDocument {
        if (model == null || lastVersion < 0) {
            throw new IllegalArgumentException("a model state needs the model and a last version >= 0");
        }
        if ((pinnedVersion == null) != (pinnedAt == null)) {
            throw new IllegalArgumentException("a pin needs both [pinned_version] and [pinned_at]");
        }
    }

    /** The state of a model that never reserved a version. */
    public static ModelStateDocument initial(String model) {
        return new ModelStateDocument(model, 0, null, null, null);
    }

    public static String id(String model) {
        return "_state-" + model;
    }

    public ModelStateDocument withLastVersion(int version) {
        return new ModelStateDocument(model, version, pinnedVersion, pinnedAt, pinnedBy);
    }

    public ModelStateDocument pinned(int version, Instant at, String by) {
        return new ModelStateDocument(model, lastVersion, version, at, by);
    }

    public ModelStateDocument unpinned() {
        return new ModelStateDocument(model, lastVersion, null, null, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(STATE_MODEL, model);
        m.put(LAST_VERSION, lastVersion);
        m.put(PINNED_VERSION, pinnedVersion);
        m.put(PINNED_AT, pinnedAt == null ? null : pinnedAt.toString());
        m.put(PINNED_BY, pinnedBy);
        return m;
    }

    public static ModelStateDocument fromMap(String id, Map<String, Object> source) {
        MetadataReader r = MetadataReader.of(id, source);
        String model = r.string(STATE_MODEL);
        int last = r.integer(LAST_VERSION);
        Long pinned = r.optionalLong(PINNED_VERSION);
        String at = r.optionalString(PINNED_AT);
        String by = r.optionalString(PINNED_BY);
        r.done();
        try {
            return new ModelStateDocument(model, last, pinned == null ? null : pinned.intValue(), at == null ? null : Instant.parse(at),
                by);
        } catch (RuntimeException e) {
            throw r.invalid(e.getMessage());
        }
    }
}
