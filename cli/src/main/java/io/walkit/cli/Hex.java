package io.walkit.cli;

/** The one text form of salts, checksums and magic values in walkit's output: {@code 0x} and 8 hex digits. */
final class Hex {

    private Hex() {}

    /** {@code 0x0000abcd} of a 32-bit value (taken as unsigned). */
    static String u32(long v) {
        return String.format("0x%08x", v & 0xFFFF_FFFFL);
    }
}
