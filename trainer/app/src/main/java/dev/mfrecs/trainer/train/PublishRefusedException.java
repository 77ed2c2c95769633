package dev.mfrecs.trainer.train;

/**
 * A run that trained but did not publish on purpose: the publish gate found the new model worse than the live one, the data
 * shrank more than allowed, too many events were invalid, or an operator pinned a rolled-back version. The live model keeps
 * serving; the message says why in one line. The command line exits with {@code 5} for it, distinct from a failure ({@code 4}).
 */
public final class PublishRefusedException extends RuntimeException {

    public PublishRefusedException(String message) {
        super(message);
    }
}
