package dev.mfrecs.factorization;

/**
 * Progress callback for the iterative trainers, so the trainer application can log and report progress without this library
 * depending on a logging framework. Called on the training thread after each completed iteration.
 */
@FunctionalInterface
public interface TrainingListener {

    /**
     * @param iteration      the 1-based number of the iteration that just finished
     * @param totalIterations the configured number of iterations
     * @param seconds        wall-clock seconds that iteration took
     */
    void iteration(int iteration, int totalIterations, double seconds);

    TrainingListener NONE = (i, n, s) -> {};
}
