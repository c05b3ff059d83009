/** An outside program using walkit's Evidence facade through the module path. */
module example.forensics {
    requires io.walkit.db;

    exports example.forensics;
}
