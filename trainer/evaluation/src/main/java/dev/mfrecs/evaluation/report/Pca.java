package dev.mfrecs.evaluation.report;

/**
 * A two-component principal component analysis of a few hundred to a few thousand factor rows, for the item-factor scatter plot:
 * center, form the {@code d x d} covariance in double, and take its two leading eigenvectors by power iteration with deflation
 * (deterministic start, so plots are reproducible; the sign of each component is fixed so its largest-magnitude entry is positive).
 */
public final class Pca {

    private Pca() {}

    /** Projects the selected {@code rows} of the row-major {@code n x d} {@code factors} onto two components: {@code [x0, y0, ...]}. */
    public static double[] project2(float[] factors, int d, int[] rows) {
        int n = rows.length;
        double[] mean = new double[d];
        for (int r : rows) {
            for (int f = 0; f < d; f++) {
                mean[f] += factors[r * d + f];
            }
        }
        for (int f = 0; f < d; f++) {
            mean[f] /= Math.max(1, n);
        }
        double[] cov = new double[d * d];
        double[] x = new double[d];
        for (int r : rows) {
            for (int f = 0; f < d; f++) {
                x[f] = factors[r * d + f] - mean[f];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += x[a] * x[b];
                }
            }
        }
        double[] c1 = leadingEigenvector(cov, d);
        double l1 = rayleigh(cov, d, c1);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a * d + b] -= l1 * c1[a] * c1[b];
            }
        }
        double[] c2 = leadingEigenvector(cov, d);
        double[] out = new double[2 * n];
        for (int j = 0; j < n; j++) {
            double p = 0;
            double q = 0;
            for (int f = 0; f < d; f++) {
                double v = factors[rows[j] * d + f] - mean[f];
                p += v * c1[f];
                q += v * c2[f];
            }
            out[2 * j] = p;
            out[2 * j + 1] = q;
        }
        return out;
    }

    static double[] leadingEigenvector(double[] m, int d) {
        double[] v = new double[d];
        for (int f = 0; f < d; f++) {
            v[f] = 1.0 / Math.sqrt(d) * (1 + 0.01 * f); // deterministic, generic start
        }
        double[] w = new double[d];
        for (int it = 0; it < 500; it++) {
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += m[a * d + b] * v[b];
                }
                w[a] = s;
            }
            double norm = 0;
            for (double c : w) {
                norm += c * c;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                break;
            }
            double change = 0;
            for (int a = 0; a < d; a++) {
                double nv = w[a] / norm;
                change += Math.abs(nv - v[a]);
                v[a] = nv;
            }
            if (change < 1e-10) {
                break;
            }
        }
        int best = 0;
        for (int f = 1; f < d; f++) {
            if (Math.abs(v[f]) > Math.abs(v[best])) {
                best = f;
            }
        }
        if (v[best] < 0) {
            for (int f = 0; f < d; f++) {
                v[f] = -v[f];
            }
        }
        return v;
    }

    static double rayleigh(double[] m, int d, double[] v) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                s += v[a] * m[a * d + b] * v[b];
            }
        }
        return s;
    }
}
