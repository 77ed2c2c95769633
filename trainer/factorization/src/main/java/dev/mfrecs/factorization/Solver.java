package dev.mfrecs.factorization;

/**
 * The per-row linear solver of implicit ALS. Exists because the two trade accuracy for speed: training on large data wants the cheap
 * approximate {@link #CG}, while fold-in (and tests that need the exact row optimum) want {@link #CHOLESKY}.
 */
public enum Solver {
    /** A few conjugate-gradient steps warm-started from the current row vector, {@code A p} computed without forming {@code A}. */
    CG,
    /** The exact solution via a Cholesky factorization of the {@code d x d} row system. */
    CHOLESKY
}
