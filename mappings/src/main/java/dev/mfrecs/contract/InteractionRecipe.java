package dev.mfrecs.contract;

import java.util.Map;

/**
 * How a model turned events of the interactions index into the matrix it was trained on, recorded in the model metadata so
 * that the plugin's query-time fold-in of a user reads and weighs their events exactly as the trainer did: the fields and event
 * weights ({@link InteractionFields}), how repeated (user, item) events combine ({@link DuplicatePolicy}), an optional
 * binarization, the query and time window the trainer read, the cut-off after which events were not trained on, and the
 * reference time the decay counted ages from.
 *
 * @param fields               where events live and how one event is weighted
 * @param duplicates           how repeated pairs combine: {@code sum} (implicit events) or {@code mean} (ratings)
 * @param binarizeAt           pairs whose value is at least this become 1, the others are dropped; null for none
 * @param query                the Elasticsearch query DSL (JSON) events had to match, or null
 * @param fromMillis           the window's start (inclusive, epoch ms), or null
 * @param cutoffMillis         the training cut-off (exclusive, epoch ms): events at or after it were not trained on; null when
 *                             the index has no timestamp field
 * @param decayReferenceMillis the time ages are measured from for the decay (the newest event trained on, epoch ms); null
 *                             when there is no decay
 */
public record InteractionRecipe(
    InteractionFields fields,
    DuplicatePolicy duplicates,
    Float binarizeAt,
    String query,
    Long fromMillis,
    Long cutoffMillis,
    Long decayReferenceMillis
) {

    private static final String DUPLICATES = "duplicates";
    private static final String BINARIZE_AT = "binarize_at";
    private static final String QUERY = "query";
    private static final String FROM = "from";
    private static final String CUTOFF = "cutoff";
    private static final String DECAY_REFERENCE = "decay_reference";

    public InteractionRecipe {
        if (fields == null) {
            throw new IllegalArgumentException("interactions recipe needs [fields]");
        }
        if (duplicates == null || duplicates == DuplicatePolicy.LAST) {
            // LAST depends on read order, which a scan of an index does not define.
            throw new IllegalArgumentException("interactions [duplicates] must be [sum] or [mean], got [" + duplicates + "]");
        }
        if (binarizeAt != null && Float.isFinite(binarizeAt) == false) {
            throw new IllegalArgumentException("interactions [binarize_at] must be finite, got [" + binarizeAt + "]");
        }
        if (fields.timestampField() == null && (fromMillis != null || cutoffMillis != null || decayReferenceMillis != null)) {
            throw new IllegalArgumentException(
                "interactions without a [timestamp_field] cannot have [from], [cutoff] or [decay_reference]");
        }
        if (fields.halfLifeDays() > 0 && decayReferenceMillis == null) {
            throw new IllegalArgumentException("interactions with [half_life_days] > 0 need [decay_reference]");
        }
        if (fromMillis != null && cutoffMillis != null && fromMillis >= cutoffMillis) {
            throw new IllegalArgumentException("interactions [from] [" + fromMillis + "] must be before [cutoff] [" + cutoffMillis + "]");
        }
    }

    /**
     * Implicit events of {@code fields}: summed, not binarized, no query, no window, no cut-off; with a half-life, ages count from
     * {@code decayReferenceMillis} (ignored without one).
     */
    public static InteractionRecipe implicitEvents(InteractionFields fields, long decayReferenceMillis) {
        return new InteractionRecipe(fields, DuplicatePolicy.SUM, null, null, null, null, fields.halfLifeDays() > 0 ? decayReferenceMillis
            : null);
    }

    /** Implicit events of {@code fields} without decay (see {@link #implicitEvents(InteractionFields, long)}). */
    public static InteractionRecipe implicitEvents(InteractionFields fields) {
        return new InteractionRecipe(fields, DuplicatePolicy.SUM, null, null, null, null, null);
    }

    public InteractionRecipe withCutoff(Long cutoff) {
        return new InteractionRecipe(fields, duplicates, binarizeAt, query, fromMillis, cutoff, decayReferenceMillis);
    }

    public InteractionRecipe withDecayReference(Long reference) {
        return new InteractionRecipe(fields, duplicates, binarizeAt, query, fromMillis, cutoffMillis, reference);
    }

    /** {@link #binarizeAt()} as the matrix builders take it: NaN for none. */
    public float binarizeThreshold() {
        return binarizeAt == null ? Float.NaN : binarizeAt;
    }

    /** The weight of one event at {@code timeMillis} (null: unknown, not decayed), aged from {@link #decayReferenceMillis()}. */
    public float weight(String eventType, Number value, Long timeMillis) {
        long age = decayReferenceMillis == null || timeMillis == null ? 0 : decayReferenceMillis - timeMillis;
        return fields.eventWeights().weight(eventType, value, age);
    }

    /** The value an aggregated pair enters the matrix with, NaN when it is dropped (see {@link DuplicatePolicy#pairValue}). */
    public float pairValue(float aggregated) {
        return duplicates.pairValue(aggregated, binarizeThreshold());
    }

    /** A new, empty history of one user that aggregates by this recipe. */
    public UserHistory newHistory() {
        return new UserHistory(this);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = fields.toMap();
        m.put(DUPLICATES, duplicates.id());
        m.put(BINARIZE_AT, binarizeAt);
        m.put(QUERY, query);
        m.put(FROM, fromMillis);
        m.put(CUTOFF, cutoffMillis);
        m.put(DECAY_REFERENCE, decayReferenceMillis);
        return m;
    }

    /** Reads {@link #toMap()}'s form strictly; {@code document} names it in errors. */
    public static InteractionRecipe fromMap(String document, Map<String, Object> map) {
        return read(MetadataReader.of(document, map));
    }

    static InteractionRecipe read(MetadataReader r) {
        InteractionFields fields = InteractionFields.read(r);
        DuplicatePolicy duplicates;
        try {
            duplicates = DuplicatePolicy.parse(DUPLICATES, r.string(DUPLICATES));
        } catch (MetadataException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw r.invalid(DUPLICATES, e.getMessage());
        }
        Float binarizeAt = r.optionalFloat(BINARIZE_AT);
        String query = r.optionalString(QUERY);
        Long from = r.optionalLong(FROM);
        Long cutoff = r.optionalLong(CUTOFF);
        Long reference = r.optionalLong(DECAY_REFERENCE);
        r.done();
        try {
            return new InteractionRecipe(fields, duplicates, binarizeAt, query, from, cutoff, reference);
        } catch (IllegalArgumentException e) {
            throw r.invalid(e.getMessage());
        }
    }

    /** The same recipe over other fields (another index, other weights). */
    public InteractionRecipe withFields(InteractionFields newFields) {
        return new InteractionRecipe(newFields, duplicates, binarizeAt, query, fromMillis, cutoffMillis, decayReferenceMillis);
    }
}
