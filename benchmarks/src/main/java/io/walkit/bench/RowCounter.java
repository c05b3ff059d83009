package io.walkit.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH secondary result {@code rows}: table rows decoded, reported as a rate (rows/s). */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RowCounter {

    /** Rows decoded in the current iteration. */
    public long rows;

    @Setup(Level.Iteration)
    public void reset() {
        rows = 0;
    }
}
