package io.walkit.sim;

/** Whether the simulated storage keeps its fsync promise. */
public enum FsyncMode {
    /** fsync makes every earlier write durable. */
    HONEST,
    /** fsync returns success but makes nothing durable (a disk or VM that acknowledges cached writes). */
    LYING
}
