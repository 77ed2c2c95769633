package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * Singular value decomposition of a small dense square matrix by one-sided Jacobi rotations (Hestenes 1958) in double precision:
 * the "small SVD" step of {@link PureSvd}. One-sided Jacobi is used because it is short, needs no bidiagonalization, and computes
 * small singular values to high relative accuracy (unlike forming {@code B B^T}, which squares the condition number).
 */
final class JacobiSvd {

    private static final int MAX_SWEEPS = 60;

    private JacobiSvd() {}

    /**
     * Decomposes the row-major {@code n x n} matrix {@code a = U diag(sigma) V^T}. On return {@code a} holds {@code U} (columns of
     * unit norm, or zero for zero singular values) and {@code sigma} the singular values, both ordered by decreasing singular value
     * (ties by original column). {@code V} is not needed by the caller and not accumulated.
     */
    static void decompose(double[] a, int n, double[] sigma) {
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int i = 0; i < n; i++) {
                        double ap = a[i * n + p];
                        double aq = a[i * n + q];
                        alpha += ap * ap;
                        beta += aq * aq;
                        gamma += ap * aq;
                    }
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    for (int i = 0; i < n; i++) {
                        double ap = a[i * n + p];
                        double aq = a[i * n + q];
                        a[i * n + p] = c * ap - s * aq;
                        a[i * n + q] = s * ap + c * aq;
                    }
                }
            }
            if (rotated == false) {
                break;
            }
        }
        double[] norms = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[i * n + j] * a[i * n + j];
            }
            norms[j] = Math.sqrt(s);
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> norms[x] != norms[y] ? Double.compare(norms[y], norms[x]) : Integer.compare(x, y));
        double[] sorted = new double[n * n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            sigma[j] = norms[src];
            double inv = norms[src] > 0 ? 1.0 / norms[src] : 0.0;
            for (int i = 0; i < n; i++) {
                sorted[i * n + j] = a[i * n + src] * inv;
            }
        }
        System.arraycopy(sorted, 0, a, 0, n * n);
    }
}
