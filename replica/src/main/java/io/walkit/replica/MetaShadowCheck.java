package io.walkit.replica;

import io.walkit.replica.ReplicaDirectory.Generation;
import io.walkit.replica.ReplicaDirectory.SegmentFile;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For a {@code .<db>-litestream} meta directory: runs {@link ShadowVerifier} on the current
 * generation's highest shadow index against the live {@code <db>-wal} beside it (read-only), which
 * predicts what Litestream v0.3 does at its next sync: continue, start the next index, or lose the
 * position and start a new generation (the outcome of issue #521). Stateless.
 */
final class MetaShadowCheck {

    /** Shadow and live WAL are read whole; larger files are skipped with a warning. */
    static final long MAX_BYTES = 1L << 30;

    private MetaShadowCheck() {}

    static List<io.walkit.io.Problem> check(ReplicaDirectory dir, Generation g) throws IOException {
        List<io.walkit.io.Problem> out = new ArrayList<>();
        Path abs = dir.root().toAbsolutePath().normalize();
        String metaName = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (!metaName.startsWith(".") || !metaName.endsWith("-litestream") || g.segments().isEmpty()) {
            return out;
        }
        String db = metaName.substring(1, metaName.length() - "-litestream".length());
        Path wal = abs.resolveSibling(db + "-wal");
        if (!Files.isRegularFile(wal, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        SegmentFile shadow = g.segments().get(g.segments().size() - 1);
        if (shadow.size() > MAX_BYTES || Files.size(wal) > MAX_BYTES) {
            out.add(ReplicaProblem.of(Code.SHADOW_MISMATCH, Severity.WARNING, shadow.relative(),
                    new io.walkit.io.Problem.Position.BackupPosition(g.name(), shadow.index(), 0), "shadow WAL", "size",
                    "at most " + MAX_BYTES + " bytes (shadow and live WAL)", Math.max(shadow.size(), Files.size(wal)) + " bytes",
                    "live comparison skipped"));
            return out;
        }
        ShadowVerdict v = ShadowVerifier.verify(Files.readAllBytes(shadow.path()), Files.readAllBytes(wal));
        if (v.verdict() == ShadowVerdict.Verdict.POSITION_LOST || v.strictVerdict() == ShadowVerdict.Verdict.POSITION_LOST) {
            boolean litestreamLoses = v.verdict() == ShadowVerdict.Verdict.POSITION_LOST;
            out.add(ReplicaProblem.of(Code.SHADOW_MISMATCH, Severity.WARNING, shadow.relative(),
                    new io.walkit.io.Problem.Position.BackupPosition(g.name(), shadow.index(), shadow.size()), "shadow WAL",
                    litestreamLoses ? "Litestream v0.3 verdict" : "strict verdict", ShadowVerdict.Verdict.CONTINUE.json() + " or "
                            + ShadowVerdict.Verdict.NEW_WAL.json(), ShadowVerdict.Verdict.POSITION_LOST.json(),
                    "against live WAL " + wal.getFileName() + ": " + v.reason() + (litestreamLoses
                            ? "; Litestream will start a new generation at its next sync"
                            : "; Litestream continues, but the stricter checks show the position is lost")));
        }
        return out;
    }

    /** The verdict for the current shadow, or null when there is no live WAL beside the meta directory. */
    static ShadowVerdict verdict(ReplicaDirectory dir, Generation g) throws IOException {
        Path abs = dir.root().toAbsolutePath().normalize();
        String metaName = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (!metaName.startsWith(".") || !metaName.endsWith("-litestream") || g.segments().isEmpty()) {
            return null;
        }
        Path wal = abs.resolveSibling(metaName.substring(1, metaName.length() - "-litestream".length()) + "-wal");
        if (!Files.isRegularFile(wal, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        SegmentFile shadow = g.segments().get(g.segments().size() - 1);
        if (shadow.size() > MAX_BYTES || Files.size(wal) > MAX_BYTES) {
            return null;
        }
        return ShadowVerifier.verify(Files.readAllBytes(shadow.path()), Files.readAllBytes(wal));
    }
}
