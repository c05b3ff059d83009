package io.walkit.forensics;

import io.walkit.db.BtreePage;
import io.walkit.db.Database;
import io.walkit.db.PageUsage;
import io.walkit.db.SchemaEntry;
import io.walkit.db.WalPageSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.StaleFrames;
import io.walkit.wal.StaleGroup;
import io.walkit.wal.WalScan;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The page map: one self-contained HTML document (no network: a Content-Security-Policy allows only
 * its own inline script, by hash, and inline styles) showing every page of a database as a square
 * coloured by page type, with a border saying where the page's newest image lives (the database
 * file, a WAL frame not yet copied back, a WAL frame whose bytes the database file already holds
 * ("backfilled"), and whether stale WAL frames of earlier generations also hold the page). Clicking a
 * page (or opening the file with {@code #page=N}) shows its details, freeblocks and the records
 * recovered from it. At most 200,000 pages are drawn (the count says so when there are more).
 *
 * <p>Every string that comes from the files (table names, values, schema SQL, file names) travels as
 * JSON data inside a {@code <script type="application/json">} block with {@code <}, {@code >}, {@code &}
 * and line separators escaped, and the script only ever assigns {@code textContent}: nothing from the
 * evidence is parsed as HTML. Stateless.
 */
public final class PageMap {

    /** Where a page's newest image lives. */
    public enum Location {
        /** The database file (no WAL frame of the page up to the last commit). */
        DB,
        /** A WAL frame whose bytes differ from the database file's page: not yet checkpointed. */
        WAL,
        /** A WAL frame whose bytes the database file already holds (copied back by a checkpoint). */
        BACKFILLED;

        /**
         * The name in the page ({@code db}, {@code wal}, {@code backfilled}).
         *
         * @return the result described above
         */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private PageMap() {}

    /**
     * Renders the map of {@code db} (as of the last commit of {@code history}'s WAL).
     *
     * @param history   the database and WAL
     * @param title     a display name (usually the database file's path); escaped
     * @param records   recovered records to list per page (by source page number; WAL sources included)
     * @throws CorruptFileException when the schema cannot be read
     * @return the result described above
     */
    public static String render(LogHistory history, String title, List<RecoveredRecord> records) throws CorruptFileException {
        int last = history.commitCount();
        Database db = history.at(last);
        List<Long> roots = new ArrayList<>();
        roots.add(1L);
        Map<Long, String> rootName = new HashMap<>();
        rootName.put(1L, "sqlite_schema");
        if (db.pageCount() > 0) {
            for (SchemaEntry e : db.schema().entries()) {
                if (e.rootPage() > 0) {
                    roots.add(e.rootPage());
                    rootName.put(e.rootPage(), e.name());
                }
            }
        }
        PageUsage usage = db.pageCount() > 0 ? PageUsage.of(db, roots) : null;
        WalScan scan = history.wal();
        Set<Long> stalePages = new HashSet<>();
        if (scan != null) {
            for (StaleGroup g : StaleFrames.find(scan).groups()) {
                for (StaleGroup.Frame f : g.frames()) {
                    stalePages.add((long) f.pageNumber());
                }
            }
        }
        Map<Long, List<RecoveredRecord>> byPage = new HashMap<>();
        for (RecoveredRecord r : records) {
            byPage.computeIfAbsent(r.source().pageNumber(), k -> new ArrayList<>()).add(r);
        }
        WalPageSource view = db.pages() instanceof WalPageSource v ? v : null;
        long n = Math.min(db.pageCount(), 200_000);
        StringBuilder data = new StringBuilder(64 + (int) n * 40);
        data.append("{\"title\":");
        json(data, title);
        data.append(",\"pageSize\":").append(db.pageSize()).append(",\"pageCount\":").append(db.pageCount())
                .append(",\"shown\":").append(n).append(",\"pages\":[");
        for (long p = 1; p <= n; p++) {
            if (p > 1) {
                data.append(',');
            }
            PageUsage.Kind kind = usage == null ? PageUsage.Kind.UNUSED : usage.kind(p);
            int frame = view == null ? 0 : view.frameOf(p);
            Location loc = frame == 0 ? Location.DB : sameAsDbFile(history, db, p) ? Location.BACKFILLED : Location.WAL;
            data.append("{\"p\":").append(p).append(",\"t\":\"").append(kind.jsonName()).append("\",\"l\":\"").append(loc.jsonName())
                    .append('"');
            if (frame != 0) {
                data.append(",\"f\":").append(frame);
            }
            if (stalePages.contains(p)) {
                data.append(",\"s\":true");
            }
            long owner = usage == null ? 0 : usage.owner(p);
            if (owner != 0 && rootName.containsKey(owner)) {
                data.append(",\"o\":");
                json(data, rootName.get(owner));
            }
            if (kind == PageUsage.Kind.TABLE_LEAF || kind == PageUsage.Kind.INDEX_LEAF || kind == PageUsage.Kind.TABLE_INTERIOR
                    || kind == PageUsage.Kind.INDEX_INTERIOR) {
                freeblocks(data, db, p);
            }
            List<RecoveredRecord> rs = byPage.get(p);
            if (rs != null) {
                data.append(",\"r\":[");
                for (int i = 0; i < rs.size() && i < 500; i++) {
                    RecoveredRecord r = rs.get(i);
                    data.append(i == 0 ? "" : ",").append("{\"table\":");
                    json(data, r.table());
                    data.append(",\"status\":\"").append(r.status().jsonName()).append("\",\"kind\":\"")
                            .append(r.source().kind().jsonName()).append("\",\"file\":");
                    json(data, r.source().file());
                    data.append(",\"offset\":").append(r.source().offset()).append(",\"values\":[");
                    for (int k = 0; k < r.values().length; k++) {
                        data.append(k == 0 ? "" : ",");
                        json(data, display(r.values()[k]));
                    }
                    data.append("]}");
                }
                data.append(']');
            }
            data.append('}');
        }
        data.append("]}");
        return html(title, data.toString());
    }

    private static boolean sameAsDbFile(LogHistory history, Database db, long p) {
        MemorySegment wal = db.pages().page(p);
        MemorySegment file = history.databaseFilePage(p);
        return file != null && wal.mismatch(file) == -1;
    }

    private static void freeblocks(StringBuilder data, Database db, long p) {
        BtreePage page;
        try {
            page = db.btreePage(p);
        } catch (CorruptFileException e) {
            return;
        }
        data.append(",\"fb\":[");
        int off = page.firstFreeblock();
        int usable = db.usableSize();
        boolean first = true;
        // Freeblocks ascend (SQLite requires it): a chain that does not stop is cut at the first non-ascending link.
        for (int i = 0; off != 0 && off + 4 <= usable && i < usable / 4; i++) {
            int size = page.u16(off + 2);
            data.append(first ? "" : ",").append('[').append(off).append(',').append(size).append(']');
            first = false;
            int next = page.u16(off);
            if (next != 0 && next <= off + size) {
                break;
            }
            off = next;
        }
        data.append(']');
    }

    private static String display(Object v) {
        return switch (v) {
            case null -> "NULL";
            case byte[] b -> "x'" + HexFormat.of().formatHex(b, 0, Math.min(b.length, 256)) + (b.length > 256 ? "…'" : "'");
            case String s -> s.length() > 1000 ? s.substring(0, 1000) + "…" : s;
            default -> v.toString();
        };
    }

    /** Appends {@code s} as a JSON string safe inside an HTML script element (no {@code <}, {@code >}, {@code &}). */
    static void json(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** Escapes text for HTML element content and attribute values. */
    static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('walkit-data').textContent);
              var grid = document.getElementById('grid');
              var detail = document.getElementById('detail');
              function line(parent, tag, text, cls) {
                var e = document.createElement(tag);
                e.textContent = text;
                if (cls) { e.className = cls; }
                parent.appendChild(e);
                return e;
              }
              function show(pg, cell) {
                var old = grid.querySelector('.sel');
                if (old) { old.classList.remove('sel'); }
                cell.classList.add('sel');
                detail.replaceChildren();
                line(detail, 'h2', 'Page ' + pg.p);
                line(detail, 'p', 'type: ' + pg.t + (pg.o != null ? ' (b-tree of ' + pg.o + ')' : ''));
                line(detail, 'p', 'newest image: ' + pg.l + (pg.f ? ' (WAL frame ' + pg.f + ')' : '') + (pg.s ? '; stale WAL frames of earlier generations also hold this page' : ''));
                line(detail, 'p', 'offset in the database file: 0x' + ((pg.p - 1) * data.pageSize).toString(16) + ' (' + ((pg.p - 1) * data.pageSize) + ')');
                if (pg.fb) {
                  line(detail, 'h3', 'Freeblocks (' + pg.fb.length + ')');
                  var ul = line(detail, 'ul', '');
                  pg.fb.forEach(function (b) { line(ul, 'li', 'offset ' + b[0] + ', ' + b[1] + ' bytes'); });
                }
                var rs = pg.r || [];
                line(detail, 'h3', 'Recovered records (' + rs.length + ')');
                var tbl = line(detail, 'table', '');
                rs.forEach(function (r) {
                  var tr = document.createElement('tr');
                  line(tr, 'td', r.table == null ? '(unknown table)' : r.table);
                  line(tr, 'td', r.status + ' / ' + r.kind + ' in ' + r.file + ' at 0x' + r.offset.toString(16) + ' (' + r.offset + ')');
                  r.values.forEach(function (v) { line(tr, 'td', v == null ? 'NULL' : v); });
                  tbl.appendChild(tr);
                });
              }
              data.pages.forEach(function (pg) {
                var c = document.createElement('div');
                c.className = 'pg t-' + pg.t + ' l-' + pg.l + (pg.s ? ' stale' : '') + (pg.r ? ' rec' : '');
                c.title = 'page ' + pg.p + ': ' + pg.t + ', ' + pg.l;
                c.textContent = pg.r ? '•' : '';
                c.addEventListener('click', function () { show(pg, c); });
                grid.appendChild(c);
              });
              var m = /^#page=([0-9]+)$/.exec(location.hash);
              if (m && data.pages[+m[1] - 1]) { show(data.pages[+m[1] - 1], grid.children[+m[1] - 1]); }
              document.getElementById('count').textContent = data.pageCount + ' pages of ' + data.pageSize + ' bytes'
                + (data.shown < data.pageCount ? ' (first ' + data.shown + ' shown)' : '');
            })();
            """;

    private static final String STYLE = """
            body { font: 14px sans-serif; margin: 1em; color: #222; }
            #grid { display: flex; flex-wrap: wrap; gap: 2px; max-width: 60em; }
            .pg { width: 22px; height: 22px; box-sizing: border-box; border: 3px solid #999; cursor: pointer;
                  font-size: 12px; line-height: 16px; text-align: center; color: #000; }
            .pg.sel { outline: 2px solid #000; }
            .t-table-leaf { background: #7fc97f; } .t-table-interior { background: #3c8d3c; }
            .t-index-leaf { background: #beaed4; } .t-index-interior { background: #7b5ea7; }
            .t-overflow { background: #fdc086; } .t-freelist-trunk { background: #f0027f; } .t-freelist-leaf { background: #ffb3d9; }
            .t-pointer-map { background: #386cb0; } .t-lock-byte { background: #000; } .t-unused { background: #ddd; }
            .t-invalid-btree { background: #e41a1c; }
            .l-db { border-color: #ccc; } .l-wal { border-color: #1f78b4; } .l-backfilled { border-color: #a6cee3; }
            .stale { border-style: dashed; border-color: #e6550d; }
            #legend span { display: inline-block; margin-right: 1em; }
            #legend i { display: inline-block; width: 12px; height: 12px; border: 3px solid #999; vertical-align: middle; margin-right: 4px; }
            #detail { margin-top: 1em; } #detail td { border: 1px solid #ccc; padding: 2px 4px; white-space: pre-wrap; }
            """;

    private static String html(String title, String data) {
        String script = SCRIPT;
        String hash;
        try {
            hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        StringBuilder legend = new StringBuilder();
        for (String[] k : new String[][] {{"t-table-leaf", "table leaf"}, {"t-table-interior", "table interior"},
                {"t-index-leaf", "index leaf"}, {"t-index-interior", "index interior"}, {"t-overflow", "overflow"},
                {"t-freelist-trunk", "freelist trunk"}, {"t-freelist-leaf", "freelist leaf"}, {"t-pointer-map", "pointer map"},
                {"t-unused", "unreferenced"}, {"l-db", "border: database file"}, {"l-wal", "border: WAL frame"},
                {"l-backfilled", "border: backfilled"}, {"stale", "dashed: stale WAL frames"}}) {
            legend.append("<span><i class=\"").append(k[0]).append("\"></i>").append(k[1]).append("</span>");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" + hash
                + "'; style-src 'unsafe-inline'\">\n"
                + "<title>walkit page map: " + escapeHtml(title) + "</title>\n<style>" + STYLE + "</style></head>\n<body>\n"
                + "<h1>walkit page map: " + escapeHtml(title) + "</h1>\n<p id=\"count\"></p>\n<p id=\"legend\">" + legend + "</p>\n"
                + "<div id=\"grid\"></div>\n<div id=\"detail\"><p>Click a page for its details.</p></div>\n"
                + "<script type=\"application/json\" id=\"walkit-data\">" + data + "</script>\n"
                + "<script>" + script + "</script>\n</body></html>\n";
    }
}
