package dev.mfrecs.plugin.query;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arithmetic of the {@code diversity} and {@code dither} controls over kNN candidates already scored (and boosted) by the
 * candidates search, best first. Flat arrays only; no Elasticsearch types, so the math is tested on its own.
 * <ul>
 *   <li><b>diversity</b> (maximal marginal relevance, Carbonell and Goldstein 1998): greedily picks the candidate maximizing
 *   {@code lambda * rel(i) - (1 - lambda) * max(0, max over picked s of cos(i, s))}, with {@code rel} the candidates' scores
 *   min-max normalized to [0, 1]. Similarity below 0 is no penalty, so the picked values never increase and serve as scores:
 *   {@code 1 + value}. {@code lambda} 1 is the relevance order.</li>
 *   <li><b>dither</b> (rank dithering): the {@code r}-th candidate (1-based) is re-ranked by {@code log(r) + N(0, sigma)},
 *   {@code sigma = log(epsilon)}, ascending; its score is {@code exp(-key)} ({@code 1 / r} when {@code epsilon} is 1). The noise is
 *   drawn in rank order from a generator seeded with {@code seed}: the same candidates and seed give the same answer. Only the top
 *   {@code ceil(k * epsilon^3)} ranks take part: reaching the top {@code k} from deeper needs a draw more than three {@code sigma}
 *   apart.</li>
 * </ul>
 * With both, diversity orders that many candidates first and dither re-ranks its order.
 */
final class CandidateRerank {

    /** Positions into the candidates, best first, and their final scores (positive, non-increasing). */
    record Ranked(int[] positions, float[] scores) {}

    private CandidateRerank() {}

    /** How many ranks dithering looks at for a top {@code k}. */
    static int ditherDepth(int k, float epsilon, int n) {
        double depth = Math.ceil(k * Math.pow(epsilon, 3));
        return (int) Math.min(n, Math.max(k, Math.min(depth, Integer.MAX_VALUE)));
    }

    /**
     * @param scores  the candidates' scores, best first
     * @param vectors the candidates' vectors ({@code n x d}, any norm), or null without diversity
     */
    static Ranked rerank(float[] scores, float[] vectors, int d, int k, Float lambda, BusinessControls.Dither dither) {
        int n = scores.length;
        int depth = dither == null ? Math.min(n, k) : ditherDepth(k, dither.epsilon(), n);
        int[] positions;
        float[] values;
        if (lambda != null) {
            values = new float[depth];
            positions = mmr(scores, vectors, d, depth, lambda, values);
            for (int i = 0; i < depth; i++) {
                values[i] += 1f;
            }
        } else {
            positions = new int[depth];
            for (int i = 0; i < depth; i++) {
                positions[i] = i;
            }
            values = Arrays.copyOf(scores, depth);
        }
        if (dither != null) {
            return dither(positions, Math.min(k, positions.length), dither);
        }
        int top = Math.min(k, positions.length);
        return new Ranked(Arrays.copyOf(positions, top), Arrays.copyOf(values, top));
    }

    /** Greedy MMR: the positions of the {@code select} picks, in pick order; their MMR values into {@code values}. */
    static int[] mmr(float[] scores, float[] vectors, int d, int select, float lambda, float[] values) {
        int n = scores.length;
        float[] unit = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += (double) vectors[i * d + j] * vectors[i * d + j];
            }
            float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int j = 0; j < d; j++) {
                unit[i * d + j] = vectors[i * d + j] * scale;
            }
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        float[] rel = new float[n];
        for (int i = 0; i < n; i++) {
            rel[i] = max > min ? (scores[i] - min) / (max - min) : 1f;
        }
        float[] penalty = new float[n];
        boolean[] picked = new boolean[n];
        int[] out = new int[select];
        for (int step = 0; step < select; step++) {
            int best = -1;
            float bestValue = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (picked[i] == false) {
                    float v = lambda * rel[i] - (1 - lambda) * penalty[i];
                    if (v > bestValue) {
                        bestValue = v;
                        best = i;
                    }
                }
            }
            picked[best] = true;
            out[step] = best;
            values[step] = bestValue;
            for (int i = 0; i < n; i++) {
                if (picked[i] == false) {
                    float cos = 0;
                    for (int j = 0; j < d; j++) {
                        cos += unit[best * d + j] * unit[i * d + j];
                    }
                    penalty[i] = Math.max(penalty[i], cos);
                }
            }
        }
        return out;
    }

    /** Re-ranks {@code order} (best first) by {@code log(rank) + noise} and keeps the top {@code k}. */
    static Ranked dither(int[] order, int k, BusinessControls.Dither dither) {
        int n = order.length;
        double sigma = Math.log(dither.epsilon());
        SplittableRandom random = new SplittableRandom(dither.seed());
        double[] keys = new double[n];
        Integer[] byKey = new Integer[n];
        for (int r = 0; r < n; r++) {
            keys[r] = Math.log(r + 1) + sigma * gaussian(random);
            byKey[r] = r;
        }
        Arrays.sort(byKey, (a, b) -> keys[a] != keys[b] ? Double.compare(keys[a], keys[b]) : Integer.compare(a, b));
        int[] positions = new int[k];
        float[] scores = new float[k];
        for (int i = 0; i < k; i++) {
            positions[i] = order[byKey[i]];
            scores[i] = (float) Math.exp(-keys[byKey[i]]);
        }
        return new Ranked(positions, scores);
    }

    /** A standard normal draw (Box-Muller), from the seeded generator only, so it is the same on every JVM. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
