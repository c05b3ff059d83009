package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.FilePageSource;
import io.walkit.db.PageApplier;
import io.walkit.forensics.Provenance;
import io.walkit.io.AtomicFile;
import io.walkit.io.ByteSource;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db export FILE OUT.db [--at-commit N]}: writes the database as of a commit of its WAL
 * (default: the last commit of the valid prefix; 0 = the database file alone) as a standalone database
 * file, applying frames as SQLite's full checkpoint does ({@link PageApplier}). The output is written
 * temp+fsync+rename and never over an existing file without {@code --force}; beside it,
 * {@code OUT.db.provenance.json} records walkit's version, the commit and the SHA-256 of every input and
 * of the output. The export itself stays exactly SQLite's bytes (no table is added to it).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes the database as of a WAL commit (default: the last) to a new database file, with a provenance file beside it.")
final class DbExportCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE",
            description = "the database file (opened read-only; may be missing when --wal names a WAL)")
    Path file;

    @CommandLine.Parameters(index = "1", paramLabel = "OUT", description = "the database file to write")
    Path out;

    @CommandLine.Option(names = "--wal", paramLabel = "WAL", description = "the WAL (default: FILE-wal when present and non-empty)")
    Path wal;

    @CommandLine.Option(names = "--no-wal", description = "ignore any WAL: export the database file alone")
    boolean noWal;

    @CommandLine.Option(names = "--no-journal",
            description = "export even when a non-empty FILE-journal lies beside FILE (it is then ignored)")
    boolean noJournal;

    @CommandLine.Option(names = "--at-commit", paramLabel = "N",
            description = "the commit of the WAL's valid prefix to export (0 = the database file alone; default: the last)")
    Integer atCommit;

    @CommandLine.Option(names = "--force", description = "replace OUT (and its provenance file) if they exist")
    boolean force;

    @CommandLine.Option(names = "--json", description = "print the report as one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path w;
        if (noWal) {
            if (wal != null) {
                throw new Errors.UsageException("--wal and --no-wal exclude each other");
            }
            w = null;
        } else {
            w = wal != null ? wal : Files.exists(file) ? Database.defaultWal(file) : null;
        }
        boolean haveDb = Files.exists(file);
        if (!haveDb && w == null) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        Path journal = file.resolveSibling(file.getFileName() + "-journal");
        if (!noJournal && Files.isRegularFile(journal) && Files.size(journal) > 0) {
            throw new Errors.UsageException("a non-empty rollback journal lies beside " + file + " (" + journal
                    + "); export does not play journals back yet: pass --no-journal to export the files without it");
        }
        Path provenanceFile = out.resolveSibling(out.getFileName() + ".provenance.json");
        for (Path in : Arrays.asList(haveDb ? file : null, w)) {
            if (in != null && (Files.exists(out) && Files.isSameFile(in, out)
                    || Files.exists(provenanceFile) && Files.isSameFile(in, provenanceFile))) {
                throw new Errors.UsageException("OUT " + out + " is an input (" + in + "): refusing to overwrite evidence");
            }
        }
        if (!force) {
            for (Path p : List.of(out, provenanceFile)) {
                if (Files.exists(p)) {
                    throw new Errors.UsageException(p + " exists (use --force to replace it)");
                }
            }
        }
        // Hash the inputs first: the provenance names the bytes the export was made from.
        List<String> roles = new ArrayList<>(List.of("database", "wal"));
        List<Path> inputs = Arrays.asList(haveDb ? file : null, w);
        Provenance prov = Provenance.of(walkitVersion(), roles, inputs);
        int commit;
        long nPage;
        int pageSize;
        try (ByteSource db = haveDb ? ByteSource.map(file) : ByteSource.of(new byte[0], file.toString());
             ByteSource walBytes = w == null ? null : ByteSource.map(w)) {
            WalScan scan = walBytes == null ? null : WalScanner.scan(walBytes);
            int commits = scan == null ? 0 : scan.commitCount();
            commit = atCommit == null ? commits : atCommit;
            if (commit < 0 || commit > commits) {
                throw new Errors.UsageException("--at-commit " + commit + " is outside 0.." + commits
                        + (scan == null ? " (no WAL)" : " (the WAL's valid commits)"));
            }
            pageSize = commit > 0 ? scan.pageSize() : FilePageSource.pageSizeOf(db);
            if (commit > 0 && db.size() > 0 && FilePageSource.pageSizeOf(db) != pageSize) {
                throw new io.walkit.io.CorruptFileException(file.toString(), 16, "database header", "page size",
                        "the WAL's page size " + pageSize, Integer.toString(FilePageSource.pageSizeOf(db)));
            }
            PageApplier applier = PageApplier.onto(db, pageSize);
            if (commit > 0) {
                applier.applyWal(scan, scan.commit(commit));
            }
            nPage = applier.nPage();
            applier.writeTo(out, force);
        }
        long[] outSize = new long[1];
        String outSha = Provenance.sha256(out, outSize);
        Json report = report(prov, commit, nPage, pageSize, outSize[0], outSha);
        String text = report.toString() + "\n";
        AtomicFile.write(provenanceFile, force, ch -> {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            pw.println(report);
        } else {
            pw.println("exported " + file + (commit > 0 ? " as of WAL commit " + commit : " (database file alone)") + " to " + out
                    + ": " + nPage + " pages of " + pageSize + " bytes, sha256 " + outSha);
            for (Provenance.Input in : prov.inputs()) {
                pw.println("  " + in.role() + " " + in.path() + " (" + in.size() + " bytes) sha256 " + in.sha256());
            }
            pw.println("  provenance: " + provenanceFile);
        }
        pw.flush();
        return Walkit.EXIT_OK;
    }

    private Json report(Provenance prov, int commit, long nPage, int pageSize, long outSize, String outSha) {
        Json j = new Json().beginObject().field("walkit", prov.walkitVersion()).field("commit", commit);
        j.field("output", out.toString()).field("outputSize", outSize).field("outputSha256", outSha)
                .field("pageSize", pageSize).field("nPage", nPage);
        j.name("inputs").beginArray();
        for (Provenance.Input in : prov.inputs()) {
            j.beginObject().field("role", in.role()).field("file", in.path()).field("size", in.size()).field("sha256", in.sha256())
                    .endObject();
        }
        return j.endArray().endObject();
    }

    /** walkit's version (from the jar manifest; the build's version when run from classes). */
    static String walkitVersion() {
        String v = Walkit.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
