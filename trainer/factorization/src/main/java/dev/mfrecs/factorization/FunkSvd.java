package dev.mfrecs.factorization;

import java.util.SplittableRandom;

/**
 * Simon Funk's biased matrix factorization trained by stochastic gradient descent (the "SVD" of the Netflix prize and of the
 * Surprise library), offered next to {@link ExplicitAls} because it is the classic baseline users expect. For each rating, in an
 * order reshuffled every epoch from the seed, with {@code e = r - (mu + b_u + b_i + p_u . q_i)}:
 * <pre>
 *   b_u += lr (e - reg b_u);  b_i += lr (e - reg b_i)
 *   p_u += lr (e q_i - reg p_u);  q_i += lr (e p_u - reg q_i)    (simultaneously)
 * </pre>
 * SGD is inherently sequential, so training is single-threaded and fully reproducible from the seed. Users and items without
 * ratings keep zero factors and biases.
 */
public final class FunkSvd {

    private FunkSvd() {}

    public static BiasedModel train(CsrMatrix ratings, FunkSvdParams params, TrainingListener listener) {
        int d = params.factors();
        int nnz = ratings.nnz();
        SplittableRandom root = new SplittableRandom(params.seed());
        float[] users = RandomInit.gaussian(root.split(), ratings.rows(), d, params.initStd(), ratings, false);
        float[] items = RandomInit.gaussian(root.split(), ratings.cols(), d, params.initStd(), ratings.transpose(), false);
        SplittableRandom shuffle = root.split();
        float[] userBias = new float[ratings.rows()];
        float[] itemBias = new float[ratings.cols()];
        float mu = ExplicitAls.globalMean(ratings);
        int[] rowOf = new int[nnz];
        int[] indptr = ratings.indptr();
        for (int u = 0; u < ratings.rows(); u++) {
            for (int p = indptr[u]; p < indptr[u + 1]; p++) {
                rowOf[p] = u;
            }
        }
        int[] order = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            order[p] = p;
        }
        int[] indices = ratings.indices();
        float[] values = ratings.values();
        float lr = params.learningRate();
        float reg = params.regularization();
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
            long start = System.nanoTime();
            for (int j = nnz - 1; j > 0; j--) {
                int k = shuffle.nextInt(j + 1);
                int t = order[j];
                order[j] = order[k];
                order[k] = t;
            }
            for (int q = 0; q < nnz; q++) {
                int p = order[q];
                int u = rowOf[p];
                int i = indices[p];
                int uo = u * d;
                int io = i * d;
                float err = values[p] - (mu + userBias[u] + itemBias[i] + Vectors.dot(users, uo, items, io, d));
                userBias[u] += lr * (err - reg * userBias[u]);
                itemBias[i] += lr * (err - reg * itemBias[i]);
                for (int f = 0; f < d; f++) {
                    float pu = users[uo + f];
                    float qi = items[io + f];
                    users[uo + f] = pu + lr * (err * qi - reg * pu);
                    items[io + f] = qi + lr * (err * pu - reg * qi);
                }
            }
            l.iteration(epoch, params.epochs(), (System.nanoTime() - start) / 1e9);
        }
        return new BiasedModel(d, ratings.rows(), ratings.cols(), mu, userBias, itemBias, users, items);
    }
}
