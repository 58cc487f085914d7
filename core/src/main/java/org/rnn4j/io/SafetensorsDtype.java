package org.rnn4j.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Element types of the safetensors format, with their size in bytes. All are little-endian.
 * {@code F8_E4M3} is the "fn" variant (no infinities, one NaN pattern), as in PyTorch's {@code
 * float8_e4m3fn}.
 */
public enum SafetensorsDtype {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, true),
    F8_E4M3(1, true),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    F64(8, true),
    I64(8, false),
    U64(8, false);

    private final int bytes;
    private final boolean floating;

    SafetensorsDtype(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the floating-point types, false for integers and BOOL. */
    public boolean floating() {
        return floating;
    }

    /** The dtype named {@code name} exactly as in a header ("F32"), or null if there is none. */
    static SafetensorsDtype byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) return d;
        }
        return null;
    }

    static String allNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
