package io.walkit.replica;

import io.walkit.db.FilePageSource;
import io.walkit.db.IntegrityCheck;
import io.walkit.db.PageApplier;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Restores a v0.5 LTX replica: the chain of {@link LtxReplicaVerifier#chain} up to the target TXID
 * (or timestamp), each file's pages applied in order through db-format's write-through
 * {@link PageApplier} to a temporary file beside the output, the file sized to each file's commit size, fsynced, checked, renamed (see {@link ReplicaRestore}).
 * When the last file tracks checksums, the restored database's checksum must equal its post-apply
 * checksum. Stateless.
 */
final class LtxRestore {

    private LtxRestore() {}

    static ReplicaRestore.Outcome restore(ReplicaDirectory dir, ReplicaRestore.Target target, Path output, boolean force,
            boolean integrityCheck) throws IOException {
        Path absOut = output.toAbsolutePath().normalize();
        if (absOut.startsWith(dir.root().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("output " + output + " lies inside the replica " + dir.root() + ": walkit never writes there");
        }
        if (!force && Files.exists(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("output " + output + " exists (use --force to replace it)");
        }
        List<ReplicaProblem> problems = new ArrayList<>();
        List<LtxReplicaVerifier.Entry> entries = LtxReplicaVerifier.load(dir, problems, true);
        long wanted = target.index() != null ? target.index() : Long.MAX_VALUE;
        LtxReplicaVerifier.Chain chain = LtxReplicaVerifier.chain(entries, wanted, target.timestamp());
        long latest = 0;
        for (LtxReplicaVerifier.Entry e : entries) {
            if (target.timestamp() == null || !java.time.Instant.ofEpochMilli(e.header().timestamp()).isAfter(target.timestamp())) {
                latest = Math.max(latest, Math.min(e.ref().maxTxid(), wanted));
            }
        }
        if (chain.files().isEmpty()) {
            return new ReplicaRestore.Refused("no valid snapshot (min TXID 1) at or before the target", problems, null);
        }
        String lastGood = String.format("0x%016x", chain.reached());
        if (target.index() != null && chain.reached() != target.index() || chain.reached() < latest) {
            problems.add(new ReplicaProblem(Code.TXID_GAP, Severity.ERROR, null, null, -1, -1, chain.reached() + 1,
                    String.format("no valid file continues at TXID 0x%x", chain.reached() + 1), lastGood));
            return new ReplicaRestore.Refused(String.format("the target TXID 0x%x lies past a gap at TXID 0x%x; last good TXID %s",
                    target.index() != null ? target.index() : latest, chain.reached() + 1, lastGood), problems, lastGood);
        }
        int pageSize = chain.files().get(0).header().pageSize();
        Path temp = absOut.getParent().resolve("." + absOut.getFileName() + ".walkit-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        try {
            long pageCount;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                PageApplier.WriteThrough sink = PageApplier.writeThrough(ch, pageSize);
                for (LtxReplicaVerifier.Entry e : chain.files()) {
                    if (e.header().pageSize() != pageSize) {
                        return new ReplicaRestore.Refused("page size changes at " + e.ref().relative(), problems, lastGood);
                    }
                    String name = e.ref().relative();
                    LtxFile.read(e.ref().path(), (pgno, data) -> sink.apply(Integer.toUnsignedLong(pgno), data, 0, name, 0));
                    // The header's commit field: the database size in pages after this file.
                    sink.nPage(Integer.toUnsignedLong(e.header().commit()), name, 12); // the commit field is bytes 12..16 of the header
                }
                sink.finish();
                ch.force(true);
                pageCount = ch.size() / pageSize;
                LtxReplicaVerifier.Entry last = chain.files().get(chain.files().size() - 1);
                if (!last.header().noChecksum()) {
                    long db = databaseChecksum(ch, pageSize, pageCount);
                    if (db != last.postApply()) {
                        problems.add(new ReplicaProblem(Code.CHECKSUM_CHAIN, Severity.ERROR, last.ref().relative(), null, -1, -1,
                                last.ref().maxTxid(), String.format("restored database checksum 0x%016x differs from the post-apply"
                                        + " checksum 0x%016x", db, last.postApply()), null));
                        return new ReplicaRestore.Refused("the restored database does not match the last file's post-apply checksum",
                                problems, null);
                    }
                }
            }
            IntegrityCheck.Report report = null;
            if (integrityCheck) {
                try (FilePageSource pages = FilePageSource.map(temp)) {
                    report = IntegrityCheck.check(pages, 100);
                }
                if (!report.ok()) {
                    return new ReplicaRestore.Refused("the restored database fails walkit's integrity check (nothing written)", problems, null);
                }
            }
            ReplicaRestore.publish(temp, absOut, force);
            done = true;
            return new ReplicaRestore.Restored(String.format("txid 0x%016x", chain.reached()), chain.files().get(0).ref().relative(),
                    chain.files().size(), 0, pageCount, report);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static long databaseChecksum(FileChannel ch, int pageSize, long pageCount) throws IOException {
        long lock = 0x40000000L / pageSize + 1;
        long db = LtxHeader.CHECKSUM_FLAG;
        byte[] page = new byte[pageSize];
        for (long p = 1; p <= pageCount; p++) {
            if (p == lock) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(page);
            long pos = (p - 1) * pageSize;
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            db = LtxChecksum.fold(db, LtxChecksum.page((int) p, page));
        }
        return db;
    }
}
