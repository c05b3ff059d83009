package io.walkit.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The checkpoint state that follows the two header copies in a {@code -shm} file (SQLite:
 * {@code WalCkptInfo}), 40 bytes at offset 96, integers in the -shm's native byte order.
 * <pre>
 * offset size field                SQLite               meaning
 *     96    4 nBackfill            nBackfill            frames 1..nBackfill are copied into the db
 *    100    4 aReadMark[0]         aReadMark[0]         always 0: "reader uses the db file only"
 *    104   16 aReadMark[1..4]      aReadMark[1..4]      frame bound protected by a reader in slot i;
 *                                                       0xFFFFFFFF = unused (READMARK_NOT_USED)
 *    120    8 aLock                aLock                byte-range lock area, not data
 *    128    4 nBackfillAttempted   nBackfillAttempted   frames a checkpointer started copying
 *    132    4 notUsed0             notUsed0             reserved
 * </pre>
 * Invariant of a healthy index: {@code nBackfill ≤ nBackfillAttempted ≤ mxFrame}.
 *
 * <p>{@link #read} and {@link #encodeTo} are the only decoder and encoder of these 40 bytes.
 * Immutable (arrays are copied in and out) and thread-safe.
 *
 * @param nBackfill          nBackfill (u32 in an int)
 * @param aReadMark          aReadMark[0..4] (a copy)
 * @param aLock              aLock[0..7] (a copy)
 * @param nBackfillAttempted nBackfillAttempted (u32 in an int)
 * @param notUsed0           the reserved word
 */
public record CheckpointInfo(int nBackfill, int[] aReadMark, byte[] aLock, int nBackfillAttempted, int notUsed0) {

    /** Size in bytes. SQLite: {@code sizeof(WalCkptInfo)}. */
    public static final int SIZE = 40;

    /** Offset of {@code nBackfill} within the structure. */
    public static final int OFF_N_BACKFILL = 0;
    /** Offset of {@code aReadMark[0]} within the structure. */
    public static final int OFF_A_READ_MARK = 4;
    /** Offset of {@code aLock} within the structure. */
    public static final int OFF_A_LOCK = 24;
    /** Size of {@code aLock}. SQLite: {@code SQLITE_SHM_NLOCK}. */
    public static final int A_LOCK_SIZE = 8;
    /** Offset of {@code nBackfillAttempted} within the structure. */
    public static final int OFF_N_BACKFILL_ATTEMPTED = 32;
    /** Offset of {@code notUsed0} within the structure. */
    public static final int OFF_NOT_USED0 = 36;

    /**
     * Copies the arrays and checks their lengths.
     *
     * @throws IllegalArgumentException unless {@code aReadMark} has 5 entries and {@code aLock} 8
     */
    public CheckpointInfo {
        aReadMark = aReadMark.clone();
        aLock = aLock.clone();
        if (aReadMark.length != WalFormat.READ_MARK_COUNT || aLock.length != A_LOCK_SIZE) {
            throw new IllegalArgumentException("aReadMark needs " + WalFormat.READ_MARK_COUNT + " entries and aLock "
                    + A_LOCK_SIZE + " bytes: " + aReadMark.length + ", " + aLock.length);
        }
    }

    /**
     * A checkpoint info with the given values, {@code aLock} and {@code notUsed0} zero.
     *
     * @param nBackfill          nBackfill
     * @param aReadMark          the five read marks
     * @param nBackfillAttempted nBackfillAttempted
     * @return the value
     */
    public static CheckpointInfo of(int nBackfill, int[] aReadMark, int nBackfillAttempted) {
        return new CheckpointInfo(nBackfill, aReadMark, new byte[A_LOCK_SIZE], nBackfillAttempted, 0);
    }

    /**
     * What SQLite's recovery ({@code walIndexRecover}) leaves for a log whose last commit is
     * {@code mxFrame}: {@code nBackfill = 0}, {@code nBackfillAttempted = mxFrame},
     * {@code aReadMark = {0, mxFrame or unused, unused, unused, unused}}.
     *
     * @param mxFrame the recovered log's last commit frame
     * @return the value
     */
    public static CheckpointInfo recovered(int mxFrame) {
        int[] marks = new int[WalFormat.READ_MARK_COUNT];
        Arrays.fill(marks, WalFormat.READMARK_NOT_USED);
        marks[0] = 0;
        marks[1] = mxFrame == 0 ? WalFormat.READMARK_NOT_USED : mxFrame;
        return of(0, marks, mxFrame);
    }

    /**
     * Decodes the structure at {@code offset}; the segment must hold 40 bytes there.
     *
     * @param s      the -shm image
     * @param offset byte offset of the structure (normally 96)
     * @param order  the -shm's native byte order
     * @return the decoded value
     */
    public static CheckpointInfo read(MemorySegment s, long offset, ByteOrder order) {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        int[] marks = new int[WalFormat.READ_MARK_COUNT];
        for (int i = 0; i < marks.length; i++) {
            marks[i] = s.get(i32, offset + OFF_A_READ_MARK + 4L * i);
        }
        byte[] locks = new byte[A_LOCK_SIZE];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset + OFF_A_LOCK, locks, 0, A_LOCK_SIZE);
        return new CheckpointInfo(s.get(i32, offset + OFF_N_BACKFILL), marks, locks,
                s.get(i32, offset + OFF_N_BACKFILL_ATTEMPTED), s.get(i32, offset + OFF_NOT_USED0));
    }

    /**
     * Writes the 40 bytes at {@code offset} of {@code s}: the inverse of {@link #read}.
     *
     * @param s      the -shm image
     * @param offset byte offset of the structure (normally 96)
     * @param order  the -shm's native byte order
     */
    public void encodeTo(MemorySegment s, long offset, ByteOrder order) {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        s.set(i32, offset + OFF_N_BACKFILL, nBackfill);
        for (int i = 0; i < aReadMark.length; i++) {
            s.set(i32, offset + OFF_A_READ_MARK + 4L * i, aReadMark[i]);
        }
        MemorySegment.copy(aLock, 0, s, ValueLayout.JAVA_BYTE, offset + OFF_A_LOCK, A_LOCK_SIZE);
        s.set(i32, offset + OFF_N_BACKFILL_ATTEMPTED, nBackfillAttempted);
        s.set(i32, offset + OFF_NOT_USED0, notUsed0);
    }

    /**
     * The 40 bytes as stored.
     *
     * @param order the -shm's native byte order
     * @return a new array
     */
    public byte[] encode(ByteOrder order) {
        byte[] b = new byte[SIZE];
        encodeTo(MemorySegment.ofArray(b), 0, order);
        return b;
    }

    /**
     * One read mark (no copy is made).
     *
     * @param i the slot, 0..4
     * @return aReadMark[i]
     */
    public int aReadMark(int i) {
        return aReadMark[i];
    }

    /**
     * The read marks.
     *
     * @return a copy of aReadMark[0..4]
     */
    @Override
    public int[] aReadMark() {
        return aReadMark.clone();
    }

    /**
     * The lock bytes.
     *
     * @return a copy of aLock[0..7]
     */
    @Override
    public byte[] aLock() {
        return aLock.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointInfo c && c.nBackfill == nBackfill && Arrays.equals(c.aReadMark, aReadMark)
                && Arrays.equals(c.aLock, aLock) && c.nBackfillAttempted == nBackfillAttempted
                && c.notUsed0 == notUsed0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(nBackfill, Arrays.hashCode(aReadMark), Arrays.hashCode(aLock),
                nBackfillAttempted, notUsed0);
    }

    @Override
    public String toString() {
        return "CheckpointInfo[nBackfill=" + Integer.toUnsignedString(nBackfill) + ", aReadMark="
                + Arrays.toString(Arrays.stream(aReadMark).mapToObj(Integer::toUnsignedString).toArray())
                + ", nBackfillAttempted=" + Integer.toUnsignedString(nBackfillAttempted) + "]";
    }
}
