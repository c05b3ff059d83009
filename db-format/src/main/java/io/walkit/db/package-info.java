/**
 * Reading and checking SQLite database files without SQLite: the format document of walkit's
 * db-format module.
 *
 * <h2>Layers</h2>
 * <ol>
 *   <li>{@link io.walkit.db.PageSource}: the pages of one logical database image.
 *       {@link io.walkit.db.FilePageSource} reads a database file (read-only memory mapping of any
 *       size, or a heap image); {@link io.walkit.db.WalPageSource} reads a database through its WAL
 *       as of any commit of the WAL's valid prefix (newest frame per page up to the commit frame,
 *       database size from the commit frame, pages not in the WAL from the database file, zeros
 *       beyond its end; docs/format-notes.md, "Which database a reader sees").</li>
 *   <li>{@link io.walkit.db.DatabaseHeader} (the 100-byte header; decode and
 *       {@link io.walkit.db.DatabaseHeader#validate() validate} are separate),
 *       {@link io.walkit.db.BtreePage} and {@link io.walkit.db.Cell} (page types 2/5/10/13, cell
 *       pointer array, freeblocks and fragments, the four cell formats, local payload versus
 *       overflow by SQLite's formulas in {@link io.walkit.db.DbFormat}), {@link io.walkit.db.Varint},
 *       {@link io.walkit.db.Record} (every serial type, UTF-8 and both UTF-16 orders).</li>
 *   <li>{@link io.walkit.db.Database}: header rules of {@code lockBtree}, payload assembly from
 *       overflow chains, streaming in-order scans of table and index b-trees, rowid lookup.</li>
 *   <li>{@link io.walkit.db.Schema}, {@link io.walkit.db.TableInfo}, {@link io.walkit.db.IndexInfo}:
 *       sqlite_schema and the CREATE statements (rowid aliases, WITHOUT ROWID, defaults for
 *       columns added later, automatic, partial and expression indexes);
 *       {@link io.walkit.db.TableReader} gives rows as SQLite's {@code SELECT *} shows them.</li>
 *   <li>{@link io.walkit.db.IntegrityCheck}: {@code PRAGMA integrity_check} re-implemented with
 *       SQLite's messages; {@link io.walkit.db.PageUsage}: what every page is used for.</li>
 * </ol>
 *
 * <h2>Validity rules (SQLite's, applied by the readers)</h2>
 * <ul>
 *   <li>Header: magic, page size (power of two 512..65536, stored as 1 for 65536), read version
 *       ≤ 2, usable size ≥ 480, payload fractions 64/32/32. The in-header size is used only when
 *       non-zero and the change counter equals version-valid-for; if it then exceeds the pages
 *       present the file is corrupt.</li>
 *   <li>B-tree page: type 2, 5, 10 or 13; at most (P − 8)/6 cells; freeblocks ascending, each
 *       ≥ 4 bytes past the previous one's end, inside the content area; content start + free
 *       bytes + fragments within [end of cell pointers, U] ({@code btreeComputeFreeSpace}).</li>
 *   <li>Cells: pointer in [end of cell pointers, U − 4], cell end ≤ U; local payload
 *       {@code L = P ≤ X ? P : (M + (P − M) mod (U − 4) ≤ X ? that : M)} with X = U − 35 on table
 *       leaves and (U − 12)·64/255 − 23 elsewhere, M = (U − 12)·32/255 − 23; overflow chain of
 *       ⌈(P − L)/(U − 4)⌉ pages.</li>
 *   <li>Records: header size ≤ payload; the header's serial types end exactly at the header
 *       size; the bodies end exactly at the payload size (header size 0 means no columns).</li>
 * </ul>
 *
 * <h2>Bounds</h2>
 * Every traversal is cycle-safe: scans and the integrity check keep a set of visited pages (a
 * bitmap up to 2^28 pages, else a hash set of the pages actually visited), descend at most
 * {@link io.walkit.db.DbFormat#MAX_DEPTH} (scans) or {@link io.walkit.db.IntegrityCheck#MAX_TREE_DEPTH}
 * (check) levels, stop each overflow chain at its expected length or first repeated page, and
 * allocate nothing sized by an on-disk field beyond what the pages present can hold. Total work
 * is linear in the file size.
 */
package io.walkit.db;
