package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.NpyArray;
import org.rnn4j.tensor.Tensor;

/** Reads the .npy arrays the commands take, with messages that say which file and what was expected. */
final class Arrays3 {
    private Arrays3() {}

    /** A float32 array of rank 3 [batch, time, features]. */
    static Tensor floats3(Path file, String what) throws IOException {
        NpyArray a = Npy.read(file);
        if (a.dtype() != NpyArray.Dtype.FLOAT32) {
            throw new UserException(file + ": " + what + " must be float32 [batch, time, features], got dtype "
                    + a.dtype().numpyName() + "; convert with x.astype(np.float32)");
        }
        if (a.shape().length != 3) {
            throw new UserException(file + ": " + what + " must have 3 dimensions [batch, time, features], got shape "
                    + Tensor.shapeString(a.shape()));
        }
        if (a.shape()[0] == 0 || a.shape()[1] == 0) {
            throw new UserException(file + ": " + what + " is empty (shape " + Tensor.shapeString(a.shape()) + ")");
        }
        Tensor t = a.toTensor();
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) throw new UserException(file + ": " + what + " contains " + d[i] + " at flat index " + i);
        }
        return t;
    }

    /** An integer array (int32 or int64) of the given rank, as ints. */
    static int[] ints(Path file, String what, int rank, String dims) throws IOException {
        NpyArray a = Npy.read(file);
        if (a.dtype() != NpyArray.Dtype.INT32 && a.dtype() != NpyArray.Dtype.INT64) {
            throw new UserException(file + ": " + what + " must be int32 or int64 " + dims + ", got dtype " + a.dtype().numpyName());
        }
        if (a.shape().length != rank) {
            throw new UserException(file + ": " + what + " must have " + rank + " dimensions " + dims + ", got shape "
                    + Tensor.shapeString(a.shape()));
        }
        long[] v = a.toLongs();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
                throw new UserException(file + ": " + what + " value " + v[i] + " at flat index " + i + " does not fit in int32");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    static int[] shape(Path file) throws IOException {
        return Npy.read(file).shape();
    }
}
