package io.walkit.cli;

import io.walkit.db.BtreePage;
import io.walkit.db.Cell;
import io.walkit.db.Database;
import io.walkit.db.DbFormat;
import io.walkit.db.FreelistTrunkPage;
import io.walkit.db.PageUsage;
import io.walkit.db.PointerMapPage;
import io.walkit.db.Record;
import io.walkit.io.CorruptFileException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db page FILE N}: one page decoded as a b-tree page (header, cells with their
 * local payload decoded as a record when it is whole, freeblocks), with hex of the first bytes;
 * pages that are not b-tree pages are shown as hex and their first words.
 */
@Command(name = "page", mixinStandardHelpOptions = true, description = "Decodes one page: b-tree header, cells, freeblocks, hex.")
final class DbPageCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Parameters(index = "1", paramLabel = "N", description = "page number (1-based)")
    long pageNumber;

    @CommandLine.Option(names = "--hex", description = "also print the whole page as hex")
    boolean fullHex;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Database db = input.open()) {
            if (pageNumber < 1 || pageNumber > db.pageCount()) {
                throw new Errors.UsageException("page " + pageNumber + " is outside 1.." + db.pageCount());
            }
            MemorySegment data = db.page(pageNumber);
            BtreePage page = new BtreePage(pageNumber, data, db.usableSize());
            var out = spec.commandLine().getOut();
            Json j = new Json().beginObject();
            StringBuilder sb = new StringBuilder();
            j.field("page", pageNumber).field("origin", db.pages().origin(pageNumber)).field("pageType", page.type())
                    .field("kind", BtreePage.typeName(page.type()));
            sb.append("page ").append(pageNumber).append(" (").append(db.pages().origin(pageNumber)).append("): ")
                    .append(BtreePage.typeName(page.type())).append('\n');
            if (page.validType()) {
                j.field("firstFreeblock", page.firstFreeblock()).field("cellCount", page.cellCount())
                        .field("contentStart", page.contentStart()).field("fragmentedBytes", page.fragmentedBytes());
                if (!page.isLeaf()) {
                    j.field("rightChild", page.rightChild());
                }
                int free = page.computeFreeSpace();
                j.name("freeBytes");
                if (free >= 0) {
                    j.value(free);
                } else {
                    j.nullValue(); // free space corruption: no count to give
                }
                String problem = page.headerProblem();
                j.field("headerProblem", problem);
                sb.append(String.format("  header at %d: first freeblock %d, cells %d, content start %d, fragmented %d%s%n",
                        page.headerOffset(), page.firstFreeblock(), page.cellCount(), page.contentStart(), page.fragmentedBytes(),
                        page.isLeaf() ? "" : ", right child " + page.rightChild()));
                sb.append("  free bytes: ").append(free < 0 ? "free space corruption" : Integer.toString(free)).append('\n');
                if (problem != null) {
                    sb.append("  header problem: ").append(problem).append('\n');
                }
                j.name("cells").beginArray();
                Cell cell = new Cell();
                Record record = db.newRecord();
                int n = problem == null ? page.cellCount() : 0;
                for (int i = 0; i < n; i++) {
                    int off = page.cellOffset(i);
                    j.beginObject().field("index", i).field("offset", off);
                    sb.append(String.format("  cell %d at %d:", i, off));
                    if (off < page.cellPointerArrayEnd() || off > db.usableSize() - 4) {
                        j.field("problem", "offset out of range").endObject();
                        sb.append(" offset out of range\n");
                        continue;
                    }
                    page.parseCell(off, cell);
                    j.field("size", cell.size);
                    sb.append(" size ").append(cell.size);
                    if (!page.isLeaf()) {
                        j.field("leftChild", cell.leftChild);
                        sb.append(" left child ").append(cell.leftChild);
                    }
                    if (page.isTable()) {
                        j.field("rowid", cell.key);
                        sb.append(" rowid ").append(cell.key);
                    }
                    if (!(page.isTable() && !page.isLeaf())) {
                        j.field("payloadSize", cell.payloadSize).field("localSize", cell.localSize);
                        if (cell.overflows()) {
                            j.field("overflowPage", cell.overflowPage);
                        }
                        sb.append(" payload ").append(cell.payloadSize).append(" (local ").append(cell.localSize).append(')');
                        if (cell.overflows()) {
                            sb.append(" overflow ").append(cell.overflowPage);
                        }
                        if (off + cell.size <= db.usableSize()) {
                            int shown = Math.min(cell.localSize, 32);
                            String hex = hex(data, cell.payloadOffset, shown);
                            j.field("payloadHex", hex);
                            if (!cell.overflows() && record.parse(data, cell.payloadOffset, cell.payloadSize) == null) {
                                j.name("values").beginArray();
                                StringBuilder vs = new StringBuilder();
                                for (int c = 0; c < record.columnCount(); c++) {
                                    Object v = record.value(c);
                                    DbCommand.jsonValue(j, v);
                                    vs.append(c == 0 ? "" : ", ").append(DbDumpCommand.csvValue(v));
                                }
                                j.endArray();
                                String text = vs.toString();
                                sb.append(" values [").append(text.length() > 120 ? text.substring(0, 120) + "…" : text).append(']');
                            } else {
                                sb.append(" hex ").append(hex);
                            }
                        }
                    }
                    if (off + cell.size > db.usableSize()) {
                        j.field("problem", "extends off end of page");
                        sb.append(" extends off end of page");
                    }
                    j.endObject();
                    sb.append('\n');
                }
                j.endArray();
                j.name("freeblocks").beginArray();
                int fb = page.firstFreeblock();
                int guard = 0;
                while (fb > 0 && fb + 4 <= data.byteSize() && guard++ < 20000) {
                    int size = page.u16(fb + 2);
                    j.beginObject().field("offset", fb).field("size", size).endObject();
                    sb.append("  freeblock at ").append(fb).append(" size ").append(size).append('\n');
                    int next = page.u16(fb);
                    if (next <= fb) {
                        break;
                    }
                    fb = next;
                }
                j.endArray();
            } else {
                long w0 = data.get(io.walkit.io.ByteSource.INT_BE, 0) & 0xFFFF_FFFFL;
                long w1 = data.get(io.walkit.io.ByteSource.INT_BE, 4) & 0xFFFF_FFFFL;
                j.field("word0", w0).field("word1", w1);
                PageUsage.Kind kind = usageOf(db, pageNumber);
                j.field("use", kind == null ? null : kind.jsonName());
                sb.append("  use: ").append(kind == null ? "unknown" : kind.jsonName()).append('\n');
                if (kind == PageUsage.Kind.FREELIST_TRUNK) {
                    FreelistTrunkPage t = FreelistTrunkPage.read(pageNumber, data);
                    long n = Math.min(t.leafCount(), FreelistTrunkPage.maxLeaves(db.usableSize()));
                    j.field("nextTrunk", t.next()).field("leafCount", t.leafCount()).name("leaves").beginArray();
                    StringBuilder leaves = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        long leaf = FreelistTrunkPage.leaf(data, i);
                        j.value(leaf);
                        leaves.append(i == 0 ? "" : " ").append(leaf);
                    }
                    j.endArray();
                    sb.append("  next trunk ").append(t.next()).append(", leaf count ").append(t.leafCount())
                            .append(", leaves: ").append(leaves).append('\n');
                } else if (kind == PageUsage.Kind.POINTER_MAP) {
                    j.name("entries").beginArray();
                    int entries = db.usableSize() / DbFormat.PTRMAP_ENTRY_SIZE;
                    for (int i = 0; i < entries && pageNumber + 1 + i <= db.pageCount(); i++) {
                        PointerMapPage e = PointerMapPage.entry(data, pageNumber, pageNumber + 1 + i);
                        if (e == null || e.type() == 0) {
                            continue;
                        }
                        j.beginObject().field("page", pageNumber + 1 + i).field("type", PointerMapPage.typeName(e.type()))
                                .field("parent", e.parent()).endObject();
                        sb.append(String.format("  page %d: %s parent %d%n", pageNumber + 1 + i, PointerMapPage.typeName(e.type()),
                                e.parent()));
                    }
                    j.endArray();
                } else if (kind == PageUsage.Kind.OVERFLOW) {
                    j.field("nextOverflow", w0);
                    sb.append("  next overflow page ").append(w0).append('\n');
                } else {
                    sb.append("  first words: ").append(w0).append(' ').append(w1).append('\n');
                }
            }
            String head = hex(data, 0, (int) Math.min(64, data.byteSize()));
            j.field("hexHead", head);
            sb.append("  first 64 bytes: ").append(head).append('\n');
            if (fullHex) {
                String all = hex(data, 0, (int) data.byteSize());
                j.field("hex", all);
                for (int o = 0; o < all.length(); o += 64) {
                    sb.append(String.format("  %05x: %s%n", o / 2, all.substring(o, Math.min(all.length(), o + 64))));
                }
            }
            out.print(input.json ? j.endObject() + "\n" : sb.toString());
            return Walkit.EXIT_OK;
        }
    }

    /** What page {@code p} is used for, from a walk of the schema's b-trees, the freelist and the pointer map. */
    static PageUsage.Kind usageOf(Database db, long p) {
        try {
            java.util.List<Long> roots = new java.util.ArrayList<>();
            roots.add(1L);
            for (var e : db.schema().entries()) {
                if (e.rootPage() > 0) {
                    roots.add(e.rootPage());
                }
            }
            PageUsage u = PageUsage.of(db, roots);
            return u == null ? null : u.kind(p);
        } catch (CorruptFileException e) {
            return null;
        }
    }

    static String hex(MemorySegment s, long off, int n) {
        if (off + n > s.byteSize()) {
            n = (int) Math.max(0, s.byteSize() - off);
        }
        return HexFormat.of().formatHex(s.asSlice(off, n).toArray(ValueLayout.JAVA_BYTE));
    }
}
