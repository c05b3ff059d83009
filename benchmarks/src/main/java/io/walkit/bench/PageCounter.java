package io.walkit.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH secondary result {@code pages}: database pages checked, reported as a rate (pages/s). */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class PageCounter {

    /** Pages checked in the current iteration (the database's page count per check). */
    public long pages;

    @Setup(Level.Iteration)
    public void reset() {
        pages = 0;
    }
}
