package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The constants in {@link WalFormat} agree with the encoders and decoders of each structure. */
class WalFormatTest {

    @Test
    void walHeaderOffsetsMatchTheEncoding() {
        WalHeader h = new WalHeader(1, 2, 3, 4, 5, 6, 7, 8);
        ByteBuffer b = ByteBuffer.wrap(h.encode()).order(ByteOrder.BIG_ENDIAN);
        assertEquals(WalFormat.HEADER_SIZE, h.encode().length);
        assertEquals(1, b.getInt(WalFormat.OFF_MAGIC));
        assertEquals(2, b.getInt(WalFormat.OFF_FORMAT_VERSION));
        assertEquals(3, b.getInt(WalFormat.OFF_PAGE_SIZE));
        assertEquals(4, b.getInt(WalFormat.OFF_CHECKPOINT_SEQUENCE));
        assertEquals(5, b.getInt(WalFormat.OFF_SALT1));
        assertEquals(6, b.getInt(WalFormat.OFF_SALT2));
        assertEquals(7, b.getInt(WalFormat.OFF_CHECKSUM1));
        assertEquals(8, b.getInt(WalFormat.OFF_CHECKSUM2));
        assertEquals(h, WalHeader.read(MemorySegment.ofArray(h.encode()), 0));
    }

    @Test
    void frameHeaderOffsetsMatchTheEncoding() {
        WalFrameHeader f = new WalFrameHeader(1, 2, 3, 4, 5, 6);
        ByteBuffer b = ByteBuffer.wrap(f.encode()).order(ByteOrder.BIG_ENDIAN);
        assertEquals(WalFormat.FRAME_HEADER_SIZE, f.encode().length);
        assertEquals(1, b.getInt(WalFormat.FRAME_OFF_PAGE_NUMBER));
        assertEquals(2, b.getInt(WalFormat.FRAME_OFF_COMMIT_SIZE));
        assertEquals(3, b.getInt(WalFormat.FRAME_OFF_SALT1));
        assertEquals(4, b.getInt(WalFormat.FRAME_OFF_SALT2));
        assertEquals(5, b.getInt(WalFormat.FRAME_OFF_CHECKSUM1));
        assertEquals(6, b.getInt(WalFormat.FRAME_OFF_CHECKSUM2));
        assertEquals(f, WalFrameHeader.read(MemorySegment.ofArray(f.encode()), 0));
    }

    @Test
    void walIndexLayoutConstants() {
        assertEquals(2 * WalFormat.SHM_HEADER_SIZE, WalFormat.SHM_CKPT_INFO_OFFSET);
        assertEquals(WalFormat.SHM_CKPT_INFO_OFFSET + CheckpointInfo.SIZE, WalFormat.SHM_TOTAL_HEADER_SIZE);
        assertEquals(4062, WalFormat.HASHTABLE_NPAGE_ONE);
        assertEquals(WalFormat.SHM_REGION_SIZE, 4 * WalFormat.HASHTABLE_NPAGE + 2 * WalFormat.HASHTABLE_NSLOT);
        assertEquals(1, WalIndexHeader.encodePageSize(65536));
        for (int p = 512; p <= 65536; p *= 2) {
            WalIndexHeader h = WalIndexHeader.create(ByteOrder.BIG_ENDIAN, 9, true, p, 10, 11, 12L << 32 | 13, 14, 15);
            assertEquals(p, h.pageSize());
            for (ByteOrder o : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                WalIndexHeader x = WalIndexHeader.create(o, 9, true, p, 10, 11, 12L << 32 | 13, 14, 15);
                WalIndexHeader back = WalIndexHeader.read(MemorySegment.ofArray(x.encode(o)), 0, o);
                assertEquals(x, back);
                assertEquals(true, back.usable());
                ByteBuffer b = ByteBuffer.wrap(x.encode(o)).order(o);
                assertEquals(WalFormat.FORMAT_VERSION, b.getInt(0));
                assertEquals(10, b.getInt(16));
                assertEquals(14, ByteBuffer.wrap(x.encode(o)).getInt(32)); // aSalt raw big-endian
            }
        }
    }
}
