package io.walkit.sim;

import io.walkit.db.FilePageSource;
import io.walkit.db.PageSource;
import io.walkit.db.WalPageSource;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The database a fresh connection reads from a database file and a WAL file (docs/format-notes.md, "Which database a reader sees"): the
 * WAL's valid prefix is recovered (walIndexRecover, via {@link WalScanner}), and page p is the
 * newest frame for p up to mxFrame, else page p of the database file (db-format's
 * {@link WalPageSource} at the last commit); the size is the last commit's nTruncate, or the file
 * size when the WAL has no commit.
 *
 * <p>Stateless; thread-safe.
 */
public final class LogicalImage {

    private LogicalImage() {}

    /**
     * The image SQLite would read from {@code db} and {@code wal} ({@code wal} may be null: no WAL file).
     * A zero-length database with a WAL reads as empty: SQLite deletes such a WAL on open. A WAL
     * whose header SQLite would reject, whose page size differs, or that holds no valid commit adds
     * nothing.
     *
     * @param db       the database file's bytes (a trailing partial page is zero-padded)
     * @param wal      the WAL file's bytes, or null
     * @param pageSize page size in bytes
     * @return the image ({@link DbImage.Origin#VIEW})
     */
    public static DbImage of(byte[] db, byte[] wal, int pageSize) {
        if (wal == null || db.length == 0) {
            return DbImage.ofFile("db file", db, pageSize);
        }
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "wal"));
        if (!scan.headerAccepted() || scan.commitCount() == 0 || scan.pageSize() != pageSize) {
            return DbImage.ofFile("db file", db, pageSize);
        }
        // db-format's view of a database through its WAL (newest frame <= the last commit, else the db file).
        try (PageSource view = new WalPageSource(new FilePageSource(ByteSource.of(db, "db"), pageSize, true), scan,
                scan.commitCount())) {
            int nPage = (int) view.pageCount();
            byte[][] pages = new byte[nPage][];
            for (int p = 1; p <= nPage; p++) {
                pages[p - 1] = view.page(p).toArray(ValueLayout.JAVA_BYTE);
            }
            return new DbImage("db file + WAL", pages);
        } catch (CorruptFileException e) {
            throw new IllegalStateException("page sizes were checked equal", e);
        }
    }

    /**
     * Describes {@code image} against the committed {@code history}: "= commit 3", or for a mixture,
     * which commit each differing page comes from.
     *
     * @param image   the image to explain
     * @param history committed images, oldest first (not empty)
     * @return one line for people
     */
    public static String explain(DbImage image, List<DbImage> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).samePages(image)) {
                return "equals " + history.get(i).label();
            }
        }
        DbImage last = history.getLast();
        List<String> parts = new ArrayList<>();
        for (int p : image.differingPages(last)) {
            String from = "matching no committed version";
            if (p <= image.pageCount()) {
                for (int i = history.size() - 1; i >= 0; i--) {
                    DbImage h = history.get(i);
                    if (p <= h.pageCount() && java.util.Arrays.equals(h.page(p), image.page(p))) {
                        from = "as in " + h.label();
                        break;
                    }
                }
            } else {
                from = "missing";
                parts.add("page " + p + " missing");
                continue;
            }
            parts.add("page " + p + " " + from);
        }
        return "equals no committed image (vs " + last.label() + ": " + image.pageCount() + " pages vs "
                + last.pageCount() + "; " + String.join(", ", parts) + ")";
    }
}
