package dev.mfrecs.evaluation;

/**
 * How one evaluation is run, validated once so the protocol code can trust it.
 *
 * @param protocol         the split
 * @param cutoffs          the k of every @k metric, each {@code > 0}
 * @param sampled          with {@link Protocol#LEAVE_ONE_OUT}: rank the held-out item among this many sampled negatives instead
 *                         of all items (He et al. 2017 use 99); 0 for the full ranking
 * @param holdoutFraction  with {@link Protocol#HOLDOUT} and {@link Protocol#RATINGS} (one fold): the held-out fraction, in (0, 1)
 * @param strongUsers      with {@link Protocol#STRONG}: the fraction of eligible users held out, in (0, 1), or their number, a
 *                         whole number {@code >= 1} (Liang et al. 2018 hold out a fixed number, e.g. 600 for a MovieLens-1M-sized log)
 * @param folds            with {@link Protocol#RATINGS}: cross-validation folds ({@code >= 2}), or 1 for one random split
 * @param seed             seed of every random choice of the split and of the models
 * @param threads          worker threads for training and scoring, {@code > 0}
 */
public record EvalOptions(Protocol protocol, int[] cutoffs, int sampled, double holdoutFraction, double strongUsers, int folds, long seed,
                          int threads) {

    public EvalOptions {
        if (cutoffs.length == 0) {
            throw new IllegalArgumentException("[--k] needs at least one cutoff");
        }
        for (int k : cutoffs) {
            if (k <= 0) {
                throw new IllegalArgumentException("[--k] cutoffs must be > 0 (was [" + k + "])");
            }
        }
        if (sampled < 0) {
            throw new IllegalArgumentException("[--sampled] must be >= 0 (was [" + sampled + "])");
        }
        if (sampled > 0 && protocol != Protocol.LEAVE_ONE_OUT) {
            throw new IllegalArgumentException("[--sampled] applies to [leave-one-out] only (protocol was [" + protocol.cliName() + "])");
        }
        if ((holdoutFraction > 0 && holdoutFraction < 1) == false) {
            throw new IllegalArgumentException("[--holdout-fraction] must be in (0, 1) (was [" + holdoutFraction + "])");
        }
        if ((strongUsers > 0 && strongUsers < 1) == false && (strongUsers >= 1 && strongUsers == Math.rint(strongUsers)) == false) {
            throw new IllegalArgumentException("[--strong-users] must be a fraction in (0, 1) or a whole number of users >= 1 (was ["
                + strongUsers + "])");
        }
        if (folds < 1) {
            throw new IllegalArgumentException("[--folds] must be >= 1 (was [" + folds + "])");
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("[--threads] must be > 0 (was [" + threads + "])");
        }
    }

    /** Full-ranking options with cutoffs 10 and 20, holdout fraction 0.2, 20% strong-generalization users, one fold. */
    public static EvalOptions defaults(Protocol protocol, long seed, int threads) {
        return new EvalOptions(protocol, new int[] { 10, 20 }, 0, 0.2, 0.2, 1, seed, threads);
    }

    public EvalOptions withSeed(long newSeed) {
        return new EvalOptions(protocol, cutoffs, sampled, holdoutFraction, strongUsers, folds, newSeed, threads);
    }

    /** The largest cutoff (the length of the top-k lists kept for coverage). */
    public int maxCutoff() {
        int m = 0;
        for (int k : cutoffs) {
            m = Math.max(m, k);
        }
        return m;
    }

    /** The protocol's name as written in results, e.g. {@code leave-one-out-sampled-99}. */
    public String protocolName() {
        String name = protocol.cliName();
        if (sampled > 0) {
            name += "-sampled-" + sampled;
        }
        if (protocol == Protocol.RATINGS && folds > 1) {
            name += "-" + folds + "-fold";
        }
        return name;
    }
}
