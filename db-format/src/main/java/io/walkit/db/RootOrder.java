package io.walkit.db;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;

/**
 * The order in which {@code PRAGMA integrity_check} visits b-tree roots, so that walkit blames the
 * same tree SQLite blames when two trees share a page. pragma.c walks the schema's table hash
 * ({@code sqliteHashFirst(&pSchema->tblHash)}): for each table, its root (rowid tables only), then
 * its indexes ({@code pTab->pIndex}, newest first). SQLite's hash (hash.c, as in 3.50) keeps one
 * list in which a new element goes before the head of its bucket, or at the front when the bucket
 * is empty or there are no buckets yet; at 5 elements and whenever the count exceeds twice the
 * bucket count, it rehashes to 3·count buckets (at most 64, SQLITE_MALLOC_SOFT_LIMIT / 16 bytes)
 * by re-inserting the list in order. strHash adds each byte masked with 0xdf. Tables enter the
 * hash as the schema loads: sqlite_master first, then every
 * table and view in rowid order.
 */
final class RootOrder {

    private RootOrder() {}

    /**
     * One b-tree in SQLite's aRoot[] order: {@code table} is its table (null for sqlite_schema),
     * {@code index} its sqlite_schema index entry (null for the table's own b-tree, which for a
     * WITHOUT ROWID table is its primary-key index).
     */
    record Tree(SchemaEntry table, SchemaEntry index, long root) {}

    static List<Long> of(Schema schema) {
        List<Long> roots = new ArrayList<>();
        for (Tree t : trees(schema)) {
            roots.add(t.root());
        }
        return roots;
    }

    /** Tables (null for sqlite_schema) in the order of SQLite's schema hash. */
    static List<SchemaEntry> tables(Schema schema) {
        List<String> names = new ArrayList<>();
        List<SchemaEntry> tables = new ArrayList<>();
        names.add("sqlite_master");
        tables.add(null);
        for (SchemaEntry e : schema.entries()) {
            if (("table".equals(e.type()) || "view".equals(e.type())) && e.name() != null) {
                names.add(e.name());
                tables.add(e);
            }
        }
        List<SchemaEntry> out = new ArrayList<>();
        for (int i : hashOrder(names)) {
            SchemaEntry t = tables.get(i);
            if (t == null || t.isTable()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Indexes of {@code t} in {@code pTab->pIndex} order (newest first), without the WITHOUT ROWID primary key. */
    static List<SchemaEntry> indexes(Schema schema, SchemaEntry t) {
        List<SchemaEntry> idx = new ArrayList<>(schema.indexesOf(t.name()));
        java.util.Collections.reverse(idx);
        return idx;
    }

    static boolean withoutRowid(Schema schema, SchemaEntry t) {
        try {
            return schema.table(t).withoutRowid();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every b-tree in the order pragma.c lists them in aRoot[]. */
    static List<Tree> trees(Schema schema) {
        List<Tree> out = new ArrayList<>();
        for (SchemaEntry t : tables(schema)) {
            if (t == null) {
                out.add(new Tree(null, null, 1L));
                continue;
            }
            boolean withoutRowid = withoutRowid(schema, t);
            if (!withoutRowid) {
                out.add(new Tree(t, null, t.rootPage()));
            }
            for (SchemaEntry ix : indexes(schema, t)) {
                out.add(new Tree(t, ix, ix.rootPage()));
            }
            if (withoutRowid) {
                // The primary-key index was created with the table, before any later index.
                out.add(new Tree(t, null, t.rootPage()));
            }
        }
        return out;
    }

    /** Iteration order (indexes into {@code names}) of SQLite's hash after inserting {@code names} in order. */
    static List<Integer> hashOrder(List<String> names) {
        LinkedList<Integer> list = new LinkedList<>();
        int htsize = 0;
        int[] bucketCount = new int[0];
        Integer[] bucketHead = new Integer[0];
        int count = 0;
        for (int i = 0; i < names.size(); i++) {
            count++;
            if (count >= 5 && count > 2 * htsize) {
                int newSize = Math.min(count * 3, 64);
                if (newSize != htsize) {
                    htsize = newSize;
                    bucketCount = new int[htsize];
                    bucketHead = new Integer[htsize];
                    List<Integer> old = new ArrayList<>(list);
                    list.clear();
                    for (int e : old) {
                        insert(list, bucketCount, bucketHead, (int) Integer.remainderUnsigned(hash(names.get(e)), htsize), e);
                    }
                }
            }
            insert(list, bucketCount, bucketHead, htsize > 0 ? Integer.remainderUnsigned(hash(names.get(i)), htsize) : -1, i);
        }
        return list;
    }

    private static void insert(LinkedList<Integer> list, int[] bucketCount, Integer[] bucketHead, int bucket, int e) {
        Integer head = null;
        if (bucket >= 0) {
            head = bucketCount[bucket] > 0 ? bucketHead[bucket] : null;
            bucketCount[bucket]++;
            bucketHead[bucket] = e;
        }
        if (head != null) {
            ListIterator<Integer> it = list.listIterator();
            while (it.hasNext()) {
                if (it.next().intValue() == head) {
                    it.previous();
                    it.add(e);
                    return;
                }
            }
        }
        list.addFirst(e);
    }

    /** SQLite's strHash: Knuth multiplicative hashing over each byte's bits 0xdf (case-blind for ASCII). */
    static int hash(String name) {
        int h = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h += 0xdf & b;
            h *= 0x9e3779b1;
        }
        return h;
    }
}
