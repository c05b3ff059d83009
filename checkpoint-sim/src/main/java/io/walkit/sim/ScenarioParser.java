package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the scenario script format (documented in docs/sim.md): one step per line, {@code #}
 * starts a comment, {@code set KEY VALUE} lines configure the model and must precede the steps.
 *
 * <pre>
 * set page-size 4096 | set fsync honest|lying | set synchronous full|normal|off
 * set persistent-wal on|off | set journal-size-limit N | set autocheckpoint N
 * set salt-seed N | set sector-size N | set rule pre-fix|post-fix | set db-pages N | set source DBFILE WALFILE | set start DBFILE WALFILE
 * begin CONN | end CONN | write-lock CONN | rollback CONN | close CONN
 * native-order CONN be|le      (the host's byte order: a new WAL header's checksum word order)
 * spill CONN pages P1,P2,...   (non-commit frames of CONN's open write transaction)
 * commit CONN pages P1,P2,... size N | commit CONN from N   (commit N of the source WAL)
 * checkpoint CONN passive|full|restart|truncate [wait]
 * crash db=keep|lose|random|torn|subset wal=... [seed=N] [db-mask=HEX] [wal-mask=HEX]
 * crash-at POINT [N]
 * copy db|wal|shm as NAME
 * check DBCOPY [WALCOPY]
 * integrity DBCOPY [WALCOPY]
 * replicator down|up           (the replicator under test stops / starts; see ReplicationOracle)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class ScenarioParser {

    /** The largest synthetic initial database a script may ask for (memory stays bounded). */
    public static final int MAX_DB_PAGES = 10_000;
    /** The largest synthetic initial database in bytes. */
    public static final long MAX_DB_BYTES = 64L << 20;

    private ScenarioParser() {}

    /**
     * Parses {@code text}; errors name the line. {@code set source} is refused (no directory to resolve it in).
     *
     * @param text the script
     * @return the scenario
     * @throws IllegalArgumentException if a line is not valid script (the message names the line)
     */
    public static Scenario parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses {@code text}, resolving {@code set source DB WAL} against {@code baseDir} (the
     * scenario file's directory; null refuses sources). Errors name the line.
     *
     * @param text    the script
     * @param baseDir the directory {@code set source} and {@code set start} files are resolved in, or null
     * @return the scenario
     * @throws IllegalArgumentException     if a line is not valid script (the message names the line)
     * @throws java.io.UncheckedIOException when a source file cannot be read
     */
    public static Scenario parse(String text, java.nio.file.Path baseDir) {
        WalSim.Config config = WalSim.Config.defaults();
        CommitSource source = null;
        String sourceSpec = null;
        byte[] startWal = null;
        int dbPages = 3;
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            try {
                String verb = t[0].toLowerCase(Locale.ROOT);
                if (verb.equals("set")) {
                    if (!steps.isEmpty()) {
                        throw new IllegalArgumentException("settings must precede the steps");
                    }
                    need(t, 3);
                    String v = t[2].toLowerCase(Locale.ROOT);
                    switch (t[1].toLowerCase(Locale.ROOT)) {
                        case "page-size" -> {
                            int ps = Integer.parseInt(v);
                            if (!io.walkit.wal.WalFormat.isValidPageSize(ps)) {
                                throw new IllegalArgumentException("page size must be a power of two in 512..65536");
                            }
                            config = config.withPageSize(ps);
                        }
                        case "fsync" -> config = config.withFsync(FsyncMode.valueOf(v.toUpperCase(Locale.ROOT)));
                        case "synchronous" -> config = config.withSynchronous(WalSim.Synchronous.valueOf(v.toUpperCase(Locale.ROOT)));
                        case "persistent-wal" -> config = config.withPersistentWal(onOff(v));
                        case "journal-size-limit" -> config = config.withJournalSizeLimit(Long.parseLong(v));
                        case "autocheckpoint" -> config = config.withAutocheckpoint(Math.max(0, Integer.parseInt(v)));
                        case "salt-seed" -> config = config.withSaltSeed(Long.parseLong(v));
                        case "rule" -> config = config.withRule(CheckpointRule.parse(v));
                        case "sector-size" -> {
                            int n = Integer.parseInt(v);
                            if (n != 0 && (n < 512 || n > 65536 || Integer.bitCount(n) != 1)) {
                                throw new IllegalArgumentException("sector size must be 0 or a power of two in 512..65536");
                            }
                            config = config.withSectorSize(n);
                        }
                        case "db-pages" -> {
                            dbPages = Integer.parseInt(v);
                            if (dbPages < 1 || dbPages > MAX_DB_PAGES) {
                                throw new IllegalArgumentException("db-pages must be in 1.." + MAX_DB_PAGES);
                            }
                        }
                        case "source" -> {
                            need(t, 4);
                            if (baseDir == null) {
                                throw new IllegalArgumentException("set source needs the scenario's directory");
                            }
                            try {
                                source = CommitSource.load(t[2] + " + " + t[3],
                                        java.nio.file.Files.readAllBytes(baseDir.resolve(t[2])),
                                        java.nio.file.Files.readAllBytes(baseDir.resolve(t[3])));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            sourceSpec = t[2] + " " + t[3];
                            config = config.withPageSize(source.pageSize());
                        }
                        case "start" -> {
                            // Start from real files: the database and its WAL as they are (recovered on first use).
                            need(t, 4);
                            if (baseDir == null) {
                                throw new IllegalArgumentException("set start needs the scenario's directory");
                            }
                            try {
                                source = CommitSource.load(t[2] + " + " + t[3],
                                        java.nio.file.Files.readAllBytes(baseDir.resolve(t[2])),
                                        java.nio.file.Files.readAllBytes(baseDir.resolve(t[3])));
                                startWal = java.nio.file.Files.readAllBytes(baseDir.resolve(t[3]));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            sourceSpec = t[2] + " " + t[3];
                            config = config.withPageSize(source.pageSize());
                        }
                        default -> throw new IllegalArgumentException("unknown setting " + t[1]);
                    }
                    continue;
                }
                steps.add(switch (verb) {
                    case "begin" -> new Step.Begin(conn(t));
                    case "end" -> new Step.End(conn(t));
                    case "write-lock" -> new Step.WriteLock(conn(t));
                    case "rollback" -> new Step.Rollback(conn(t));
                    case "close" -> new Step.Close(conn(t));
                    case "native-order" -> {
                        need(t, 3);
                        if (!t[2].equals("be") && !t[2].equals("le")) {
                            throw new IllegalArgumentException("expected: native-order CONN be|le");
                        }
                        yield new Step.NativeOrder(t[1], t[2].equals("be"));
                    }
                    case "spill" -> {
                        need(t, 4);
                        if (!t[2].equals("pages")) {
                            throw new IllegalArgumentException("expected: spill CONN pages P1,P2");
                        }
                        yield new Step.Spill(t[1], pageList(t[3]));
                    }
                    case "commit" -> {
                        if (t.length == 4 && t[2].equals("from")) {
                            if (source == null) {
                                throw new IllegalArgumentException("commit ... from N needs 'set source DB WAL' first");
                            }
                            yield source.replay(t[1], Integer.parseInt(t[3]));
                        }
                        yield commit(t);
                    }
                    case "checkpoint" -> {
                        need(t, 3);
                        boolean wait = t.length > 3 && t[3].equalsIgnoreCase("wait");
                        if (t.length > 3 && !wait) {
                            throw new IllegalArgumentException("expected: checkpoint CONN MODE [wait]");
                        }
                        yield new Step.Checkpoint(t[1], CheckpointMode.valueOf(t[2].toUpperCase(Locale.ROOT)), wait);
                    }
                    case "ckpt-begin" -> {
                        need(t, 3);
                        boolean wait = t.length > 3 && t[3].equalsIgnoreCase("wait");
                        if (t.length > 3 && !wait) {
                            throw new IllegalArgumentException("expected: ckpt-begin CONN MODE [wait]");
                        }
                        yield new Step.CkptBegin(t[1], CheckpointMode.valueOf(t[2].toUpperCase(Locale.ROOT)), wait);
                    }
                    case "ckpt-marks" -> new Step.CkptMarks(conn(t));
                    case "ckpt-copy" -> new Step.CkptCopy(conn(t));
                    case "ckpt-end" -> new Step.CkptEnd(conn(t));
                    case "restart-log" -> new Step.RestartLog(conn(t));
                    case "crash" -> new Step.Crash(crash(t));
                    case "crash-at" -> {
                        need(t, 2);
                        CrashPoint point = CrashPoint.parse(t[1]).orElseThrow(() -> new IllegalArgumentException(
                                "unknown crash point " + t[1] + "; known: " + CrashPoint.scriptNames()));
                        yield new Step.CrashAt(point, t.length > 2 ? Integer.parseInt(t[2]) : 1);
                    }
                    case "copy" -> {
                        need(t, 4);
                        var kind = SimFileKind.parse(t[1]);
                        if (kind.isEmpty() || !t[2].equals("as")) {
                            throw new IllegalArgumentException("expected: copy db|wal|shm as NAME");
                        }
                        yield new Step.Copy(kind.get(), t[3]);
                    }
                    case "replicator" -> {
                        need(t, 2);
                        if (!t[1].equals("up") && !t[1].equals("down")) {
                            throw new IllegalArgumentException("expected: replicator up|down");
                        }
                        yield new Step.Replication(t[1].equals("up"));
                    }
                    case "check" -> {
                        need(t, 2);
                        yield new Step.Check(t[1], t.length > 2 ? t[2] : null);
                    }
                    case "integrity" -> {
                        need(t, 2);
                        yield new Step.Integrity(t[1], t.length > 2 ? t[2] : null);
                    }
                    default -> throw new IllegalArgumentException("unknown step '" + t[0] + "'");
                });
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + lines[i].strip(), e);
            }
        }
        if (source == null && (long) dbPages * config.pageSize() > MAX_DB_BYTES) {
            throw new IllegalArgumentException("db-pages x page-size exceeds " + MAX_DB_BYTES + " bytes");
        }
        return new Scenario(config, dbPages, source == null ? null : source.db(), List.copyOf(steps), sourceSpec, startWal);
    }

    private static List<Integer> pageList(String list) {
        String[] ps = list.replace("[", "").replace("]", "").split(",");
        List<Integer> pages = new ArrayList<>(ps.length);
        for (String p : ps) {
            int n = Integer.parseInt(p.strip());
            if (n < 1) {
                throw new IllegalArgumentException("page numbers start at 1");
            }
            pages.add(n);
        }
        return pages;
    }

    private static Step.Commit commit(String[] t) {
        need(t, 6);
        if (!t[2].equals("pages") || !t[4].equals("size")) {
            throw new IllegalArgumentException("expected: commit CONN pages P1,P2 size N");
        }
        List<Integer> pages = pageList(t[3]);
        int size = Integer.parseInt(t[5]);
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1");
        }
        return new Step.Commit(t[1], pages, size);
    }

    private static CrashPolicy crash(String[] t) {
        CrashPolicy.FileFate db = CrashPolicy.FileFate.LOSE;
        CrashPolicy.FileFate wal = CrashPolicy.FileFate.LOSE;
        long seed = 0;
        long dbMask = 0;
        long walMask = 0;
        for (int i = 1; i < t.length; i++) {
            String[] kv = t[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, found " + t[i]);
            }
            switch (kv[0]) {
                case "db" -> db = CrashPolicy.FileFate.valueOf(kv[1].toUpperCase(Locale.ROOT));
                case "wal" -> wal = CrashPolicy.FileFate.valueOf(kv[1].toUpperCase(Locale.ROOT));
                case "all" -> db = wal = CrashPolicy.FileFate.valueOf(kv[1].toUpperCase(Locale.ROOT));
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "db-mask" -> dbMask = Long.parseUnsignedLong(kv[1], 16);
                case "wal-mask" -> walMask = Long.parseUnsignedLong(kv[1], 16);
                default -> throw new IllegalArgumentException("unknown crash option " + kv[0]);
            }
        }
        return new CrashPolicy(db, wal, seed, dbMask, walMask);
    }

    private static boolean onOff(String v) {
        return switch (v) {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException("expected on or off, found " + v);
        };
    }

    private static String conn(String[] t) {
        need(t, 2);
        return t[1];
    }

    private static void need(String[] t, int n) {
        if (t.length < n) {
            throw new IllegalArgumentException("missing arguments");
        }
    }
}
