package io.walkit.sim;

import io.walkit.replica.ShadowVerdict;

/**
 * What a replicator decided at one sync, in the terms of Litestream v0.3's {@code verify()} (see
 * {@link io.walkit.replica.ShadowVerifier}): the oracle compares it with the verdict the shadow
 * verifier reaches on the same files. Immutable; thread-safe.
 */
public enum SyncDecision {
    /** The replicator had no replica yet and took its first snapshot. Never checked. */
    FIRST_SNAPSHOT(null),
    /** Same WAL generation: copying continued after the last copied frame. */
    CONTINUE(ShadowVerdict.Verdict.CONTINUE),
    /** The WAL was restarted after the last copied frame survived: a new shadow starts at frame 1. */
    NEW_WAL(ShadowVerdict.Verdict.NEW_WAL),
    /** The position was not trusted: a new snapshot (Litestream: a new generation). Always safe. */
    NEW_SNAPSHOT(ShadowVerdict.Verdict.POSITION_LOST);

    private final ShadowVerdict.Verdict verdict;

    SyncDecision(ShadowVerdict.Verdict verdict) {
        this.verdict = verdict;
    }

    /**
     * The shadow verifier's verdict with the same meaning, or null for {@link #FIRST_SNAPSHOT}.
     *
     * @return the verdict, or null
     */
    public ShadowVerdict.Verdict verdict() {
        return verdict;
    }

    /**
     * Whether deciding this where the shadow verifier's strict verdict is {@code required} trusts
     * more than the files prove (CONTINUE &lt; NEW_WAL &lt; POSITION_LOST in caution).
     *
     * @param required the shadow verifier's strict verdict on the same files
     * @return true if this decision is less cautious; never for {@link #FIRST_SNAPSHOT}
     */
    public boolean lessCautiousThan(ShadowVerdict.Verdict required) {
        return verdict != null && verdict.ordinal() < required.ordinal();
    }
}
