/**
 * A byte-level model of SQLite's WAL protocol (src/wal.c): {@link io.walkit.sim.WalSim} holds a
 * database file and a WAL file as {@link io.walkit.sim.SimFile}s that know which writes are durable,
 * the wal-index ({@link io.walkit.sim.WalIndexState}: mxFrame, nPage, nBackfill,
 * nBackfillAttempted, read marks, salts, frame → page array) and connections
 * ({@link io.walkit.sim.SimConnection}) with their read locks.
 *
 * <h2>Protocol, in SQLite's order</h2>
 * <ul>
 * <li>Read start (walTryBeginRead): slot 0 when nBackfill = mxFrame; else the slot with the largest
 * mark ≤ mxFrame, raising a free slot's mark to mxFrame when that mark is lower.</li>
 * <li>Write (walRestartLog, walFrames): a writer reading on slot 0 with nBackfill &gt; 0 restarts the
 * WAL (salt-1 + 1, new salt-2, mxFrame = nBackfill = nBackfillAttempted = 0, mark 1 = 0, marks 2..4
 * unused) if it can lock READ1..4 exclusively; frames are appended sorted by page, the last one
 * carrying the database size; a new header (the writer's nCkpt; random salts when nCkpt = 0) is
 * written and synced first when mxFrame = 0.</li>
 * <li>Checkpoint (walCheckpoint): mxSafeFrame = mxFrame lowered to the mark of every slot a reader
 * holds (marks of unheld slots advance); each page is paired with its newest frame ≤ mxFrame and
 * copied only if that frame is in (nBackfill, mxSafeFrame]; the WAL is synced before copying; the
 * database is truncated and synced only when mxSafeFrame equals the live mxFrame; nBackfill =
 * mxSafeFrame. FULL/RESTART/TRUNCATE report busy when frames remain; RESTART/TRUNCATE also when
 * a reader holds READ1..4; TRUNCATE restarts the header and truncates the WAL to 0 bytes.</li>
 * <li>Recovery (walIndexRecover): the valid prefix of the WAL (wal-format's scanner), nBackfill = 0,
 * nBackfillAttempted = mxFrame, mark 1 = mxFrame.</li>
 * </ul>
 *
 * <p>Scenarios ({@link io.walkit.sim.Scenario}, {@link io.walkit.sim.ScenarioParser}) script the
 * model; {@link io.walkit.sim.Invariants} and {@link io.walkit.sim.Properties} check docs/format-notes.md, "Checkpoint invariants";
 * {@link io.walkit.sim.ScenarioGenerator} and {@link io.walkit.sim.Shrinker} drive property tests.
 * {@link io.walkit.sim.LogicalImage} says which commit copied files equal; {@link io.walkit.sim.CopyIntegrity}
 * judges copies with db-format's integrity check (read through db-format's WAL page source), the
 * only use of db-format here. docs/sim.md is the user documentation.
 */
package io.walkit.sim;
