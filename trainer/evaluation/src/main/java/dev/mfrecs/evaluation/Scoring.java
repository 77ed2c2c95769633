package dev.mfrecs.evaluation;

/** The dense kernels the recommenders share: all-items dot-product scoring over flat row-major factor arrays. */
final class Scoring {

    private Scoring() {}

    /** {@code out[i] = offset[i] + vector[vOff..vOff+d) . items[i*d..i*d+d)} for every item ({@code offset} may be null). */
    static void dotAll(float[] vector, int vOff, float[] itemFactors, int items, int d, float[] offset, float[] out) {
        for (int i = 0; i < items; i++) {
            int io = i * d;
            double s = 0;
            for (int f = 0; f < d; f++) {
                s += (double) vector[vOff + f] * itemFactors[io + f];
            }
            out[i] = (float) (offset == null ? s : s + offset[i]);
        }
    }

    /** Packs the factor rows of {@code n} items into a {@code n x d} array (the layout the fold-in kernels take). */
    static float[] pack(float[] itemFactors, int d, int[] items, int n) {
        float[] out = new float[n * d];
        for (int j = 0; j < n; j++) {
            System.arraycopy(itemFactors, items[j] * d, out, j * d, d);
        }
        return out;
    }
}
