package dev.mfrecs.contract;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ImplicitAlsParams;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What an implicit-ALS model version records beyond the common fields, all of which the query-time fold-ins need: the confidence
 * function, the Rendle et al. options (classic iALS: {@code alpha0 = 1, nu = 0}), the item Gram matrix {@code YtY} of the final
 * item factors (a user's fold-in solves against it) and the user Gram matrix {@code XtX} of the stored user factors (a new
 * item's fold-in between trainings solves against it).
 */
public record ImplicitTerms(Confidence confidence, ImplicitAlsParams.Rendle rendle, float[] gram, float[] userGram) {

    private static final String CONFIDENCE = "confidence";
    private static final String KIND = "kind";
    private static final String ALPHA = "alpha";
    private static final String EPSILON = "epsilon";
    private static final String ALPHA0 = "alpha0";
    private static final String NU = "nu";
    private static final String GRAM = "gram";
    private static final String USER_GRAM = "user_gram";

    public ImplicitTerms {
        if (confidence == null || rendle == null || gram == null || userGram == null) {
            throw new IllegalArgumentException("implicit terms need [confidence], [alpha0]/[nu], [gram] and [user_gram]");
        }
        if (userGram.length != gram.length) {
            throw new IllegalArgumentException("implicit terms need [gram] and [user_gram] of the same size");
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(KIND, confidence.kind().name().toLowerCase(Locale.ROOT));
        c.put(ALPHA, confidence.alpha());
        c.put(EPSILON, confidence.epsilon());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(CONFIDENCE, c);
        m.put(ALPHA0, rendle.alpha0());
        m.put(NU, rendle.nu());
        m.put(GRAM, gram);
        m.put(USER_GRAM, userGram);
        return m;
    }

    static ImplicitTerms read(MetadataReader r, int factors) {
        MetadataReader c = r.object(CONFIDENCE);
        String kind = c.string(KIND);
        float alpha = c.floatValue(ALPHA);
        float epsilon = c.floatValue(EPSILON);
        c.done();
        Confidence confidence;
        try {
            confidence = new Confidence(ConfidenceKind.valueOf(kind.toUpperCase(Locale.ROOT)), alpha, epsilon);
        } catch (IllegalArgumentException e) {
            throw c.invalid(e.getMessage().contains("No enum constant") ? "unknown confidence kind [" + kind + "]" : e.getMessage());
        }
        ImplicitAlsParams.Rendle rendle;
        try {
            rendle = new ImplicitAlsParams.Rendle(r.floatValue(ALPHA0), r.floatValue(NU));
        } catch (MetadataException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw r.invalid(ALPHA0, e.getMessage());
        }
        float[] gram = r.floats(GRAM);
        if (gram.length != factors * factors) {
            throw r.invalid(GRAM, "[" + gram.length + "] values, expected factors^2 = [" + factors * factors + "]");
        }
        float[] userGram = r.floats(USER_GRAM);
        if (userGram.length != factors * factors) {
            throw r.invalid(USER_GRAM, "[" + userGram.length + "] values, expected factors^2 = [" + factors * factors + "]");
        }
        r.done();
        return new ImplicitTerms(confidence, rendle, gram, userGram);
    }
}
