package io.walkit.replica;

import java.io.IOException;
import java.util.List;

/** Verifies a v0.5 LTX replica (see {@link ReplicaVerifier}). */
final class LtxReplicaVerifier {

    private LtxReplicaVerifier() {}

    static ReplicaReport verify(ReplicaDirectory dir) throws IOException {
        return new ReplicaReport(dir.root(), dir.layout(), List.of(), List.of(), dir.problems());
    }
}
