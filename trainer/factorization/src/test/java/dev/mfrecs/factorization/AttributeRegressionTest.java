package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The attribute regression learns a mapping that exists: item vectors that depend on a category and a description word are
 * predicted for unseen items with those attributes in the right direction, at the median norm of the trained vectors.
 */
class AttributeRegressionTest {

    @Test
    void predictsTheDirectionOfItemsWithTheSameAttributes() {
        SplittableRandom random = new SplittableRandom(4);
        int d = 6;
        String[] categories = { "garden", "kitchen", "toys", "lights" };
        float[][] centers = new float[categories.length][d];
        for (float[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        List<Map<String, Object>> attributes = new ArrayList<>();
        int n = 400;
        float[] factors = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = i % categories.length;
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("category", categories[c]);
            a.put("description", "red " + categories[c] + " item " + i);
            a.put("price", 1 + random.nextDouble() * 20);
            attributes.add(a);
            double scale = 0.5 + random.nextDouble();
            for (int j = 0; j < d; j++) {
                factors[i * d + j] = (float) (centers[c][j] * scale + random.nextGaussian() * 0.1);
            }
        }
        AttributeRegression model = AttributeRegression.fit(attributes, factors, d, 1.0);
        for (int c = 0; c < categories.length; c++) {
            Map<String, Object> fresh = Map.of("category", categories[c], "description", "new " + categories[c] + " thing", "price", 5.0);
            float[] p = model.predict(fresh);
            double cos = dot(p, centers[c]) / Math.sqrt(dot(p, p) * dot(centers[c], centers[c]));
            assertTrue(cos > 0.9, categories[c] + ": cosine " + cos);
            assertEquals(model.norm(), Math.sqrt(dot(p, p)), 1e-3 * model.norm());
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
