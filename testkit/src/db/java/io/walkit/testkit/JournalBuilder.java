package io.walkit.testkit;

import io.walkit.db.JournalHeader;
import io.walkit.db.JournalRecord;
import io.walkit.db.SuperJournal;
import java.io.ByteArrayOutputStream;

/**
 * Builds rollback-journal bytes from a spec through walkit's encoders ({@link JournalHeader#encode},
 * {@link JournalRecord#encode}, {@link SuperJournal#encode}): segments start at sector boundaries.
 */
public final class JournalBuilder {

    private final int pageSize;
    private final int sectorSize;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long cksumInit;

    /** A journal for pages of {@code pageSize} bytes with headers of {@code sectorSize} bytes. */
    public JournalBuilder(int pageSize, int sectorSize) {
        this.pageSize = pageSize;
        this.sectorSize = sectorSize;
    }

    /** Starts a segment (padding to the next sector boundary first). */
    public JournalBuilder header(long nRec, long cksumInit, long dbOrigSize) {
        pad();
        byte[] h = new byte[sectorSize];
        JournalHeader.encode(h, 0, nRec, cksumInit, dbOrigSize, sectorSize, pageSize);
        out.writeBytes(h);
        this.cksumInit = cksumInit;
        return this;
    }

    /** Appends a page record with a correct checksum. */
    public JournalBuilder page(long pageNumber, byte[] image) {
        out.writeBytes(JournalRecord.encode(pageNumber, image, cksumInit));
        return this;
    }

    /** Appends a page record filled with {@code fill}. */
    public JournalBuilder page(long pageNumber, int fill) {
        byte[] image = new byte[pageSize];
        java.util.Arrays.fill(image, (byte) fill);
        return page(pageNumber, image);
    }

    /** Appends the super-journal record at the next sector boundary. */
    public JournalBuilder superJournal(String name) {
        pad();
        out.writeBytes(SuperJournal.encode(name, pageSize));
        return this;
    }

    /** Appends raw bytes. */
    public JournalBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    private void pad() {
        int rem = out.size() % sectorSize;
        if (rem != 0) {
            out.writeBytes(new byte[sectorSize - rem]);
        }
    }

    /** The journal bytes. */
    public byte[] build() {
        return out.toByteArray();
    }
}
