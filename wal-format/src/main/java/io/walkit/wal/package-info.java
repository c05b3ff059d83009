/**
 * SQLite's write-ahead log ({@code -wal}) and wal-index ({@code -shm}): readers that decide validity
 * exactly as SQLite's recovery does, forensic views of what SQLite ignores, and a writer.
 *
 * <h2>WAL file</h2>
 * A 32-byte {@link io.walkit.wal.WalHeader} (big-endian u32 fields) followed by frames of
 * {@code 24 + pageSize} bytes: a {@link io.walkit.wal.WalFrameHeader} and one page image. Frame
 * {@code F} (1-based) starts at {@code 32 + (F-1)·(pageSize+24)}
 * ({@link io.walkit.wal.WalFormat#frameOffset}).
 *
 * <h2>Checksum ({@code walChecksumBytes})</h2>
 * <pre>
 *   words x0,x1,... read little-endian if magic == 0x377F0682, big-endian if 0x377F0683
 *   for each pair: s0 += x[2k] + s1;  s1 += x[2k+1] + s0     (mod 2^32)
 *   header:  seed (0,0), bytes 0..23            → stored at 24..31
 *   frame 1: seed = header checksum, frame-header bytes 0..7 then the page image
 *   frame F: seed = checksum of frame F-1        (salts and checksum bytes are not covered)
 * </pre>
 * Stored results are always big-endian. See {@link io.walkit.wal.WalChecksum}.
 *
 * <h2>Validity and recovery ({@code walIndexRecover}, {@code walDecodeFrame})</h2>
 * The header is accepted when the file is longer than 32 bytes, the magic (bit 0 masked) is
 * 0x377F0682, the page size is a power of two in 512..65536, the header checksum matches; a format
 * version other than 3007000 then refuses the database. Frames are read in order and the first
 * frame with other salts, page number 0 or a wrong cumulative checksum ends the valid prefix; no
 * frame after it is used. {@code mxFrame} is the last commit frame (commit size ≠ 0) of that prefix.
 * {@link io.walkit.wal.WalScanner} implements this; {@link io.walkit.wal.WalScan} is the result.
 *
 * <h2>Generations and stale frames ({@code walRestartHdr})</h2>
 * After a complete checkpoint the next writer restarts the log: checkpoint sequence + 1, salt-1 + 1,
 * a random salt-2, and frames written again from frame 1. Frames of the previous generation beyond
 * the new end keep their old salts. A transaction that overwrote its own spilled frames writes new
 * frames with zero salts and checksums until {@code walRewriteChecksums} at commit; a crash leaves
 * them. {@link io.walkit.wal.StaleFrames} groups everything after the valid prefix by salt pair and
 * verifies each group's chain from stored checksums, trying both word orders.
 *
 * <h2>wal-index ({@code -shm})</h2>
 * Native byte order of the writing machine. Region 0 holds two {@link io.walkit.wal.WalIndexHeader}
 * copies (0 and 48), the {@link io.walkit.wal.CheckpointInfo} (96) and, from 136, the first 4062
 * page numbers; every region has a 8192-slot u16 hash table at 16384. SQLite accepts the header when
 * both copies are byte-identical, {@code isInit} is set and the checksum (native word order) holds.
 * A page is looked up newest region first, probing from {@code (page·383) & 8191} to the first
 * empty slot and keeping the newest frame ≤ the reader's {@code mxFrame} ({@code walFindFrame}).
 * {@link io.walkit.wal.WalIndex} reads, checks and cross-checks it against a WAL;
 * {@link io.walkit.wal.WalIndexBuilder} produces the image recovery writes.
 *
 * <h2>Writing</h2>
 * {@link io.walkit.wal.WalWriter} produces WALs in either word order, with commits, uncommitted
 * tails, rollbacks and restarts, and writes new files only (temp file, fsync, atomic rename).
 */
package io.walkit.wal;
