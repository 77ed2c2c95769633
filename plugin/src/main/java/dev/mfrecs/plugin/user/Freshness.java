package dev.mfrecs.plugin.user;

/**
 * How much of what a trained user did after the model's training cut-off a request takes into account. The model stores each
 * trained user's vector and seen items as of the cut-off; the interactions index keeps receiving events. One extra search of the
 * user's events since the cut-off (usually none) tells whether anything changed.
 */
public enum Freshness {
    /** The stored vector and seen items as trained; no extra read. */
    NONE,
    /** The stored vector, with items the user interacted with since the cut-off excluded as seen too. */
    SEEN,
    /**
     * Items since the cut-off excluded as seen, and, when there are new events, the user folded in again from their whole history
     * (stored events and new ones), the same exact solve as training's final user half-sweep.
     */
    FULL
}
