package org.rnn4j.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

/**
 * The short fuzz run of every build: jqwik takes each seed of the corpus and damages it the ways files get
 * damaged — truncated, bytes flipped or overwritten with boundary values, a chunk deleted, duplicated or
 * spliced in, the length fields at the start rewritten (the safetensors u64 header length to values up to
 * 2^63, the .npy header length) — and every reader must answer with a clear {@code FormatException} naming
 * the file or a valid result (see {@link Readers}).
 */
class ReaderMutationTest {

    record Mutation(int kind, int at, int length, long value) {}

    static byte[] apply(byte[] seed, List<Mutation> ms) {
        byte[] b = seed.clone();
        for (Mutation m : ms) {
            int n = b.length;
            int at = n == 0 ? 0 : m.at() % n;
            switch (m.kind()) {
                case 0 -> b = Arrays.copyOf(b, at); // truncate
                case 1 -> { if (n > 0) b[at] ^= (byte) (1 << (m.value() & 7)); } // flip a bit
                case 2 -> { if (n > 0) b[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80, '"', '{', '[', '9', ',', '\\'}[(int) Math.floorMod(m.value(), 10L)]; }
                case 3 -> { // delete a chunk
                    int len = Math.min(m.length(), n - at);
                    byte[] c = new byte[n - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, n - at - len);
                    b = c;
                }
                case 4 -> { // duplicate a chunk in place
                    int len = Math.min(m.length(), n - at);
                    byte[] c = new byte[n + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, n - at);
                    b = c;
                }
                case 5 -> { if (n >= 8) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, m.value()); } // safetensors length
                case 6 -> { if (n >= 10) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) m.value()); } // npy v1 length
                default -> { // overwrite a decimal number somewhere with a huge or negative one
                    byte[] num = Long.toString(m.value()).getBytes();
                    int len = Math.min(num.length, n - at);
                    System.arraycopy(num, 0, b, at, len);
                }
            }
        }
        return b;
    }

    void run(String target, Consumer<byte[]> reader, List<Mutation> ms) throws IOException {
        for (Path seed : ReaderFuzzTest.files(target)) {
            byte[] input = apply(Files.readAllBytes(seed), ms);
            try {
                reader.accept(input);
            } catch (RuntimeException | Error e) {
                throw new AssertionError(target + " reader failed on " + seed.getFileName() + " mutated by " + ms, e);
            }
        }
    }

    @Property(tries = 100)
    void npy(@ForAll("mutationList") List<Mutation> ms) throws IOException {
        run("npy", Readers::npy, ms);
    }

    @Property(tries = 100)
    void safetensors(@ForAll("mutationList") List<Mutation> ms) throws IOException {
        run("safetensors", Readers::safetensors, ms);
    }

    @Property(tries = 60)
    void modelFile(@ForAll("mutationList") List<Mutation> ms) throws IOException {
        run("modelFile", Readers::modelFile, ms);
    }

    @Property(tries = 60)
    void checkpoint(@ForAll("mutationList") List<Mutation> ms) throws IOException {
        run("checkpoint", Readers::checkpoint, ms);
    }

    @Property(tries = 100)
    void json(@ForAll("mutationList") List<Mutation> ms) throws IOException {
        run("json", Readers::json, ms);
    }

    @Property(tries = 100)
    void csv(@ForAll("mutationList") List<Mutation> ms) throws IOException {
        run("csv", Readers::csv, ms);
    }

    @Provide
    Arbitrary<List<Mutation>> mutationList() {
        Arbitrary<Long> values = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, 1L << 60, Long.MAX_VALUE,
                Long.MIN_VALUE, 8L, 0xffffL, 0x7fffffffL, 100L << 20));
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(0, 64), values).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }
}
