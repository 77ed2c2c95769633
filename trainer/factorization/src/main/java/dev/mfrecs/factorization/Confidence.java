package dev.mfrecs.factorization;

/**
 * The confidence function of implicit ALS: maps a raw interaction value {@code r > 0} to the weight {@code c >= 1} of the
 * preference {@code p = 1} in the weighted least-squares objective (Hu, Koren, Volinsky 2008). Shared by training, fold-in and
 * explain so all three weight a history identically.
 *
 * @param kind    {@link ConfidenceKind#LINEAR} or {@link ConfidenceKind#LOG}
 * @param alpha   scale, finite and {@code >= 0} ({@code 0} gives every observed entry confidence 1)
 * @param epsilon the {@code LOG} scale, finite and {@code > 0}; ignored by {@code LINEAR} (but must be finite)
 */
public record Confidence(ConfidenceKind kind, float alpha, float epsilon) {

    public Confidence {
        if (kind == null) {
            throw new IllegalArgumentException("Confidence: [kind] must not be null");
        }
        if (Float.isFinite(alpha) == false || alpha < 0) {
            throw new IllegalArgumentException("Confidence: [alpha] must be finite and >= 0 (was [" + alpha + "])");
        }
        if (Float.isFinite(epsilon) == false || (kind == ConfidenceKind.LOG && epsilon <= 0)) {
            throw new IllegalArgumentException("Confidence: [epsilon] must be finite and > 0 for LOG (was [" + epsilon + "])");
        }
    }

    /** Linear confidence {@code 1 + alpha * r}. */
    public static Confidence linear(float alpha) {
        return new Confidence(ConfidenceKind.LINEAR, alpha, 1f);
    }

    /** Logarithmic confidence {@code 1 + alpha * ln(1 + r / epsilon)}. */
    public static Confidence log(float alpha, float epsilon) {
        return new Confidence(ConfidenceKind.LOG, alpha, epsilon);
    }

    /** The confidence of a raw value; meaningful for {@code r > 0} (the trainers never call it for other values). */
    public float of(float r) {
        return switch (kind) {
            case LINEAR -> 1f + alpha * r;
            case LOG -> (float) (1.0 + alpha * Math.log1p(r / (double) epsilon));
        };
    }
}
