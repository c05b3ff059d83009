package io.walkit.cli;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit wal frames FILE}: one line (or JSON object) per whole frame in the file. */
@Command(name = "frames", mixinStandardHelpOptions = true,
        description = "Lists every whole frame: page, commit size, salts, stored checksums, validity.")
final class WalFramesCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the -wal file (opened read-only)")
    Path file;

    @CommandLine.Option(names = "--json", description = "print JSON Lines: one object per frame")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ByteSource source = ByteSource.map(file)) {
            WalFiles.requireWal(source);
            WalScan scan = WalScanner.scan(source);
            PrintWriter out = spec.commandLine().getOut();
            long n = scan.pageSize() == 0 ? 0 : scan.frameCount();
            if (!json) {
                out.println("frame  offset          page  commit  salt1      salt2      checksum1  checksum2  valid committed");
            }
            for (long f = 1; f <= n; f++) {
                WalFrameHeader fh = scan.frameHeader(f);
                boolean valid = f <= scan.lastValidFrame();
                boolean committed = f <= scan.mxFrame();
                if (json) {
                    Json j = new Json().beginObject()
                            .field("frameNumber", f)
                            .field("offset", scan.frameOffset(f))
                            .field("pageNumber", Integer.toUnsignedLong(fh.pageNumber()))
                            .field("commitSize", Integer.toUnsignedLong(fh.commitSize()))
                            .field("salt1", Hex.u32(fh.salt1()))
                            .field("salt2", Hex.u32(fh.salt2()))
                            .field("checksum1", Hex.u32(fh.checksum1()))
                            .field("checksum2", Hex.u32(fh.checksum2()))
                            .field("valid", valid)
                            .field("committed", committed)
                            .endObject();
                    out.println(j);
                } else {
                    out.printf("%5d  %-14s %5s  %6s  0x%08x 0x%08x 0x%08x 0x%08x %-5s %s%n", f,
                            "0x" + Long.toHexString(scan.frameOffset(f)), Integer.toUnsignedString(fh.pageNumber()),
                            Integer.toUnsignedString(fh.commitSize()), fh.salt1(), fh.salt2(), fh.checksum1(),
                            fh.checksum2(), valid ? "yes" : "no", committed ? "yes" : "no");
                }
            }
            return scan.stopReason().isCorruptHeader() ? Walkit.EXIT_CORRUPT : Walkit.EXIT_OK;
        }
    }
}
