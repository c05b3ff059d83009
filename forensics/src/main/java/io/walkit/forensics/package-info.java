/**
 * Forensic recovery: deleted and superseded SQLite records from freeblocks, unallocated space,
 * freelist pages, dropped objects, stale and uncommitted WAL frames and rollback-journal page
 * images, each with where it came from and how sure the decode is.
 */
package io.walkit.forensics;
