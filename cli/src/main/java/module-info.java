/**
 * The {@code walkit} command-line program ({@code io.walkit.cli.Walkit}). An application, not a
 * library: it exports nothing and opens its commands to picocli, which reads their annotations.
 */
module io.walkit.cli {
    requires io.walkit.db;
    requires io.walkit.replica;
    requires io.walkit.sim;
    requires io.walkit.forensics;
    requires info.picocli;

    opens io.walkit.cli to info.picocli;
}
