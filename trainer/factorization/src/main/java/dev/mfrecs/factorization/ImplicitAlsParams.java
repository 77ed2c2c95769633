package dev.mfrecs.factorization;

/**
 * The hyper-parameters of {@link ImplicitAls}, validated once at construction so the trainer's hot loops need not re-check them.
 *
 * @param factors        latent dimension {@code d}, {@code > 0}
 * @param iterations     full sweeps (users then items), {@code >= 0}
 * @param regularization {@code lambda} of the L2 penalty on both sides, finite and {@code >= 0}
 * @param confidence     raw value to confidence mapping
 * @param solver         per-row solver
 * @param cgSteps        conjugate-gradient steps per row and sweep (ignored by {@link Solver#CHOLESKY}), {@code > 0}
 * @param seed           seed of the random initialization; the only source of randomness
 * @param threads        worker threads, {@code > 0}; results do not depend on it
 */
public record ImplicitAlsParams(int factors, int iterations, float regularization, Confidence confidence, Solver solver, int cgSteps,
                                long seed, int threads) {

    public ImplicitAlsParams {
        if (factors <= 0) {
            throw new IllegalArgumentException("ImplicitAlsParams: [factors] must be > 0 (was [" + factors + "])");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("ImplicitAlsParams: [iterations] must be >= 0 (was [" + iterations + "])");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException(
                "ImplicitAlsParams: [regularization] must be finite and >= 0 (was [" + regularization + "])");
        }
        if (confidence == null) {
            throw new IllegalArgumentException("ImplicitAlsParams: [confidence] must not be null");
        }
        if (solver == null) {
            throw new IllegalArgumentException("ImplicitAlsParams: [solver] must not be null");
        }
        if (cgSteps <= 0) {
            throw new IllegalArgumentException("ImplicitAlsParams: [cgSteps] must be > 0 (was [" + cgSteps + "])");
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("ImplicitAlsParams: [threads] must be > 0 (was [" + threads + "])");
        }
    }

    /**
     * 15 iterations, regularization 0.01, linear confidence with alpha 1.0, CG with 3 steps, seed 42, one thread per available
     * processor (the defaults of benfred/implicit, except alpha which callers should tune to their value scale).
     */
    public static ImplicitAlsParams defaults(int factors) {
        return new ImplicitAlsParams(factors, 15, 0.01f, Confidence.linear(1.0f), Solver.CG, 3, 42L,
            Runtime.getRuntime().availableProcessors());
    }

    public ImplicitAlsParams withSolver(Solver newSolver) {
        return new ImplicitAlsParams(factors, iterations, regularization, confidence, newSolver, cgSteps, seed, threads);
    }

    public ImplicitAlsParams withIterations(int newIterations) {
        return new ImplicitAlsParams(factors, newIterations, regularization, confidence, solver, cgSteps, seed, threads);
    }

    public ImplicitAlsParams withThreads(int newThreads) {
        return new ImplicitAlsParams(factors, iterations, regularization, confidence, solver, cgSteps, seed, newThreads);
    }
}
