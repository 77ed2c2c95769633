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
 * @param rendle         the unobserved weight {@code alpha0} and frequency-scaled regularization exponent {@code nu} of Rendle et
 *                       al. 2021; {@link Rendle#NONE} ({@code alpha0 = 1, nu = 0}) is the classic Hu, Koren, Volinsky objective
 */
public record ImplicitAlsParams(int factors, int iterations, float regularization, Confidence confidence, Solver solver, int cgSteps,
                                long seed, int threads, Rendle rendle) {

    /**
     * The two knobs Rendle, Krichene, Zhang and Anderson ("Revisiting the Performance of iALS on Item Recommendation", 2021) add
     * to implicit ALS, which exist because with them iALS matches far more complex recommenders on the standard benchmarks:
     * <ul>
     *   <li>{@code alpha0}, the weight of every unobserved pair (classic iALS: 1), so the objective becomes
     *       <pre>
     *   sum_{(u,i) observed} c_ui (1 - x_u . y_i)^2 + alpha0 sum_{(u,i) unobserved} (x_u . y_i)^2
     *       + sum_u lambda_u |x_u|^2 + sum_i lambda_i |y_i|^2</pre>
     *       (the observed pair's confidence {@code c_ui} replaces {@code alpha0} for that pair);</li>
     *   <li>{@code nu}, the exponent of frequency-scaled regularization: with {@code |I_u|} the user's observed items, {@code |U_i|}
     *       the item's observed users, {@code |I|} the item count and {@code |U|} the user count,
     *       <pre>
     *   lambda_u = lambda (|I_u| + alpha0 |I|)^nu      lambda_i = lambda (|U_i| + alpha0 |U|)^nu</pre>
     *       ({@code nu = 0}: the plain {@code lambda} on every row; {@code nu = 1}: proportional to the row's total weight).</li>
     * </ul>
     * Rewriting the unobserved sum as "all pairs minus observed pairs" gives the Gram trick: each row solves
     * <pre>
     *   (alpha0 YtY + sum_obs (c_ui - alpha0) y_i y_i^T + lambda_u I) x_u = sum_obs c_ui y_i
     * </pre>
     * so the shared {@code YtY} is scaled by {@code alpha0} and each observed pair adds its confidence minus {@code alpha0}.
     *
     * @param alpha0 weight of unobserved pairs, finite and {@code >= 0} (0 with {@code lambda = 0} makes rows singular)
     * @param nu     regularization exponent, finite and {@code >= 0}
     */
    public record Rendle(float alpha0, float nu) {

        /** {@code alpha0 = 1, nu = 0}: the classic objective, reproduced exactly. */
        public static final Rendle NONE = new Rendle(1f, 0f);

        public Rendle {
            if (Float.isFinite(alpha0) == false || alpha0 < 0) {
                throw new IllegalArgumentException("ImplicitAlsParams.Rendle: [alpha0] must be finite and >= 0 (was [" + alpha0 + "])");
            }
            if (Float.isFinite(nu) == false || nu < 0) {
                throw new IllegalArgumentException("ImplicitAlsParams.Rendle: [nu] must be finite and >= 0 (was [" + nu + "])");
            }
        }

        /**
         * The regularization {@code lambda (observed + alpha0 * otherSide)^nu} of a row with {@code observed} observed entries
         * against {@code otherSide} fixed rows; exactly {@code lambda} when {@code nu = 0}.
         */
        public double regularization(float lambda, int observed, int otherSide) {
            if (nu == 0f) {
                return lambda;
            }
            return lambda * Math.pow(observed + (double) alpha0 * otherSide, nu);
        }
    }

    /** The classic objective ({@link Rendle#NONE}); the constructor from before the Rendle options existed. */
    public ImplicitAlsParams(int factors, int iterations, float regularization, Confidence confidence, Solver solver, int cgSteps,
                             long seed, int threads) {
        this(factors, iterations, regularization, confidence, solver, cgSteps, seed, threads, Rendle.NONE);
    }

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
        if (rendle == null) {
            throw new IllegalArgumentException("ImplicitAlsParams: [rendle] must not be null (use Rendle.NONE)");
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
        return new ImplicitAlsParams(factors, iterations, regularization, confidence, newSolver, cgSteps, seed, threads, rendle);
    }

    public ImplicitAlsParams withIterations(int newIterations) {
        return new ImplicitAlsParams(factors, newIterations, regularization, confidence, solver, cgSteps, seed, threads, rendle);
    }

    public ImplicitAlsParams withThreads(int newThreads) {
        return new ImplicitAlsParams(factors, iterations, regularization, confidence, solver, cgSteps, seed, newThreads, rendle);
    }

    /** These parameters with the Rendle et al. options {@code alpha0} and {@code nu}. */
    public ImplicitAlsParams withRendle(float alpha0, float nu) {
        return new ImplicitAlsParams(factors, iterations, regularization, confidence, solver, cgSteps, seed, threads,
            new Rendle(alpha0, nu));
    }
}
