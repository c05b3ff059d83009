package io.walkit.sim;

/**
 * A step the model refuses because SQLite could never be asked to do it in that state (a commit
 * that grows the database without writing the new pages, a step after the model stopped at a
 * crash point, a check of a copy that was never made). A scenario runner records it as the step's
 * result and carries on; a shrinker treats a candidate whose steps are refused as any other
 * candidate. It is not a walkit bug: every other unchecked exception is.
 */
public final class StepRejectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * A rejection with its reason.
     *
     * @param message why the model refuses the step, for the step's result line
     */
    public StepRejectedException(String message) {
        super(message);
    }
}
