package io.walkit.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The checkpoint state that follows the two header copies in a {@code -shm} file (SQLite:
 * {@code WalCkptInfo}), 40 bytes at offset 96, integers in the -shm's native byte order.
 * <pre>
 * offset size field               SQLite               meaning
 *     96    4 backfill            nBackfill            frames 1..nBackfill are copied into the db
 *    100    4 readMark[0]         aReadMark[0]         always 0: "reader uses the db file only"
 *    104   16 readMark[1..4]      aReadMark[1..4]      frame bound protected by a reader in slot i;
 *                                                      0xFFFFFFFF = unused (READMARK_NOT_USED)
 *    120    8 lock bytes          aLock                byte-range lock area, not data
 *    128    4 backfillAttempted   nBackfillAttempted   frames a checkpointer started copying
 *    132    4 notUsed0            notUsed0             reserved
 * </pre>
 * Invariant of a healthy index: {@code nBackfill ≤ nBackfillAttempted ≤ mxFrame}.
 *
 * @param backfill          nBackfill (u32 in an int)
 * @param readMarks         aReadMark[0..4] (a copy)
 * @param lockBytes         aLock[0..7] (a copy)
 * @param backfillAttempted nBackfillAttempted
 * @param notUsed0          the reserved word
 */
public record CheckpointInfo(int backfill, int[] readMarks, byte[] lockBytes, int backfillAttempted, int notUsed0) {

    /** Size in bytes. */
    public static final int SIZE = 40;

    public CheckpointInfo {
        readMarks = readMarks.clone();
        lockBytes = lockBytes.clone();
    }

    /** Decodes the structure at {@code offset} (normally 96); the segment must hold 40 bytes there. */
    public static CheckpointInfo read(MemorySegment s, long offset, ByteOrder order) {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        int[] marks = new int[WalFormat.READ_MARK_COUNT];
        for (int i = 0; i < marks.length; i++) {
            marks[i] = s.get(i32, offset + 4 + 4L * i);
        }
        byte[] locks = new byte[8];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset + 24, locks, 0, 8);
        return new CheckpointInfo(s.get(i32, offset), marks, locks, s.get(i32, offset + 32), s.get(i32, offset + 36));
    }

    /** aReadMark[i] (a copy is not made). */
    public int readMark(int i) {
        return readMarks[i];
    }

    @Override
    public int[] readMarks() {
        return readMarks.clone();
    }

    @Override
    public byte[] lockBytes() {
        return lockBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointInfo c && c.backfill == backfill && java.util.Arrays.equals(c.readMarks, readMarks)
                && java.util.Arrays.equals(c.lockBytes, lockBytes) && c.backfillAttempted == backfillAttempted
                && c.notUsed0 == notUsed0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(backfill, java.util.Arrays.hashCode(readMarks), backfillAttempted);
    }

    @Override
    public String toString() {
        return "CheckpointInfo[nBackfill=" + Integer.toUnsignedString(backfill) + ", aReadMark="
                + java.util.Arrays.toString(java.util.Arrays.stream(readMarks).mapToObj(Integer::toUnsignedString).toArray())
                + ", nBackfillAttempted=" + Integer.toUnsignedString(backfillAttempted) + "]";
    }
}
