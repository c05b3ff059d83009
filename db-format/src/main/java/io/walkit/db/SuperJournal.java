package io.walkit.db;

import io.walkit.io.ByteSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The super-journal name that may end a rollback journal of a multi-database transaction
 * (SQLite: {@code writeSuperJournal}, {@code readSuperJournal}). It is written at the end of the
 * journal (at a sector boundary when the journal is synced fully); with name length N, from its
 * start:
 *
 * <pre>
 * offset | size | field    | meaning
 * -------+------+----------+------------------------------------------------------------------
 *    0   |   4  | pageNumber | the lock-byte page (PENDING_BYTE / page size + 1): ends playback
 *    4   |   N  | name     | the super-journal's path, not NUL-terminated
 *   4+N  |   4  | length   | N
 *   8+N  |   4  | checksum | the sum of the name's bytes (as C {@code char}s: signed on x86)
 *  12+N  |   8  | magic    | the journal magic
 * </pre>
 *
 * <p>SQLite reads it from the end of the file: the last 8 bytes must be the magic, the length
 * must be in 1..file size − 16 and shorter than the longest path, and the checksum must match;
 * otherwise there is no super-journal. If the named super-journal does not exist, the
 * transaction committed and playback does nothing. Immutable; thread-safe.
 *
 * @param offset byte offset of the name in the journal
 * @param name   the super-journal's path as stored (bytes decoded as UTF-8)
 */
public record SuperJournal(long offset, String name) {

    /** Bytes after the name: length, checksum, magic. */
    public static final int TRAILER_SIZE = 16;
    /** Longest name SQLite reads back (unix VFS {@code mxPathname} is 512; the buffer is one more). */
    public static final int MAX_NAME = 512;

    /**
     * Decodes the super-journal name at the end of {@code journal}, or null when there is none.
     * Never throws on damaged bytes: a trailer with a bad length, magic or checksum means none.
     *
     * @param journal the rollback journal's bytes
     * @return the name and its record's byte offset, or {@code null}
     */
    public static SuperJournal read(ByteSource journal) {
        long size = journal.size();
        if (size < TRAILER_SIZE) {
            return null;
        }
        long len = journal.u32(size - 16);
        if (len == 0 || len > MAX_NAME || len > size - 16) {
            return null;
        }
        if (!java.util.Arrays.equals(journal.bytes(size - 8, 8), JournalHeader.MAGIC)) {
            return null;
        }
        byte[] name = journal.bytes(size - 16 - len, (int) len);
        if (Integer.toUnsignedLong(nameChecksum(name)) != journal.u32(size - 12)) {
            return null;
        }
        return new SuperJournal(size - 16 - len, new String(name, StandardCharsets.UTF_8));
    }

    /** The name's checksum: the sum of its bytes as signed C chars (x86, where every SQLite we test runs). */
    static int nameChecksum(byte[] name) {
        int sum = 0;
        for (byte b : name) {
            sum += b;
        }
        return sum;
    }

    /**
     * Encodes the super-journal record for {@code name} in a journal of a database with {@code pageSize}.
     *
     * @param name     the super-journal's path (written as UTF-8)
     * @param pageSize the database's page size in bytes (the record starts with the lock-byte page number)
     * @return the record's bytes: lock-byte page number, name, length, checksum, magic
     */
    public static byte[] encode(String name, int pageSize) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + TRAILER_SIZE);
        b.putInt((int) DbFormat.lockBytePage(pageSize)).put(n).putInt(n.length).putInt(nameChecksum(n)).put(JournalHeader.MAGIC);
        return b.array();
    }
}
