package io.walkit.replica;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Applies page images to a database file being built: page {@code pageNumber} goes to byte offset
 * {@code (pageNumber - 1) * pageSize}; {@link #setPageCount} truncates to the committed size as
 * SQLite's checkpoint does ({@code walCheckpoint} truncates the database to {@code nPage} pages when
 * the whole log is backfilled).
 *
 * <p>This is the seam to the shared "apply page images up to a point" of db-format: restore calls
 * only these two methods. Not thread-safe; does not own the channel.
 */
final class PageImageSink {

    private final FileChannel channel;
    private final int pageSize;
    private long pagesWritten;

    PageImageSink(FileChannel channel, int pageSize) {
        this.channel = channel;
        this.pageSize = pageSize;
    }

    /** Writes the page image at {@code frame[offset .. offset + pageSize)} as page {@code pageNumber}. */
    void write(int pageNumber, byte[] frame, int offset) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(frame, offset, pageSize);
        long pos = (Integer.toUnsignedLong(pageNumber) - 1) * pageSize;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
        pagesWritten++;
    }

    /** Truncates the file to {@code pageCount} pages when it is longer. */
    void setPageCount(long pageCount) throws IOException {
        long size = pageCount * pageSize;
        if (channel.size() > size) {
            channel.truncate(size);
        }
    }

    long pagesWritten() {
        return pagesWritten;
    }
}
