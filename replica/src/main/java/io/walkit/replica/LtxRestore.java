package io.walkit.replica;

import java.io.IOException;
import java.nio.file.Path;

/** Restores a v0.5 LTX replica (see {@link ReplicaRestore}). */
final class LtxRestore {

    private LtxRestore() {}

    static ReplicaRestore.Outcome restore(ReplicaDirectory dir, ReplicaRestore.Target target, Path output, boolean force,
            boolean integrityCheck) throws IOException {
        throw new IllegalArgumentException("LTX restore is not implemented yet");
    }
}
