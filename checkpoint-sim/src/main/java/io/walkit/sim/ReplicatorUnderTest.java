package io.walkit.sim;

/**
 * A replicator under test, as {@link ReplicationOracle} drives it: a process outside SQLite that
 * reads the database's files (never takes locks in the model) and keeps a replica it can restore.
 *
 * <p>The oracle creates one instance per scenario run (through the factory it is given), calls
 * {@link #start} once before the first step and again after each downtime, then after every step
 * while the replicator is up calls {@link #sync} and {@link #restore}, and finally
 * {@link #close}. Steps {@code replicator down} / {@code replicator up} in a scenario mark
 * downtime ({@link #stop} is called at the first). An exception thrown by any method is reported
 * as a {@link ReplicationOracle.FailureKind#REPLICATOR_ERROR}.
 *
 * <p>Implementations need not be thread-safe: the oracle calls one instance from one thread. The
 * oracle owns the instance and closes it.
 */
public interface ReplicatorUnderTest extends AutoCloseable {

    /**
     * The replicator's process starts (again), finding the files as they are. The default does nothing.
     *
     * @param files read-only access to the model's live files
     * @throws Exception any failure, reported as {@code REPLICATOR_ERROR}
     */
    default void start(LiveFiles files) throws Exception {
    }

    /**
     * The model has just run {@code step} with {@code result}; the replicator syncs from the files
     * as they are now and says what it decided.
     *
     * @param step   the step the model just ran
     * @param result that step's result
     * @param files  read-only access to the model's live files
     * @return what the replicator decided
     * @throws Exception any failure, reported as {@code REPLICATOR_ERROR}
     */
    SyncDecision sync(Step step, StepResult result, LiveFiles files) throws Exception;

    /**
     * The replicator's process stops (downtime begins); it is told nothing until {@link #start}.
     * The default does nothing.
     *
     * @throws Exception any failure, reported as {@code REPLICATOR_ERROR}
     */
    default void stop() throws Exception {
    }

    /**
     * What a restore from the replica yields now, as database file bytes; null when the replicator
     * has replicated nothing yet (before its first sync).
     *
     * @return the restored database file's bytes (whole pages), or null
     * @throws Exception any failure, reported as {@code REPLICATOR_ERROR}
     */
    byte[] restore() throws Exception;

    /**
     * The shadow WAL the next sync continues from (a Litestream v0.3 shadow: the live WAL's header
     * and the committed frames copied so far), or null when the replicator keeps none; its
     * decisions are checked against {@link io.walkit.replica.ShadowVerifier} only when it has one.
     *
     * @return the shadow WAL's bytes, or null (the default)
     */
    default byte[] shadowWal() {
        return null;
    }

    /**
     * Releases what the replicator holds. Called once per instance. The default does nothing.
     *
     * @throws Exception any failure, reported as {@code REPLICATOR_ERROR}
     */
    @Override
    default void close() throws Exception {
    }
}
