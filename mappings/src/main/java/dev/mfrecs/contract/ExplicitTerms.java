package dev.mfrecs.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an explicit-ALS model version records beyond the common fields: the global mean {@code mu} its fold-in subtracts, and the
 * range of the ratings it was trained on (for clamping predicted ratings).
 */
public record ExplicitTerms(float globalMean, float ratingMin, float ratingMax) {

    private static final String GLOBAL_MEAN = "global_mean";
    private static final String RATING_MIN = "rating_min";
    private static final String RATING_MAX = "rating_max";

    public ExplicitTerms {
        if (Float.isFinite(globalMean) == false || Float.isFinite(ratingMin) == false || Float.isFinite(ratingMax) == false
            || ratingMin > ratingMax) {
            throw new IllegalArgumentException("explicit terms need a finite [global_mean] and [rating_min] <= [rating_max], got ["
                + globalMean + ", " + ratingMin + ", " + ratingMax + "]");
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(GLOBAL_MEAN, globalMean);
        m.put(RATING_MIN, ratingMin);
        m.put(RATING_MAX, ratingMax);
        return m;
    }

    static ExplicitTerms read(MetadataReader r) {
        float mean = r.floatValue(GLOBAL_MEAN);
        float min = r.floatValue(RATING_MIN);
        float max = r.floatValue(RATING_MAX);
        r.done();
        try {
            return new ExplicitTerms(mean, min, max);
        } catch (IllegalArgumentException e) {
            throw r.invalid(e.getMessage());
        }
    }
}
