package org.rnn4j.apps;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.rnn4j.apps.lm.Corpus;
import org.rnn4j.apps.lm.Level;
import org.rnn4j.apps.seq2seq.PairFile;
import org.rnn4j.io.FormatException;

/**
 * The text readers of the applications — TSV pairs (seq2seq) and text corpora (lm) — under random and
 * damaged input: each file either reads or is refused with an {@link IOException} (a {@link
 * FormatException} for malformed content) whose message names the file. Nothing else escapes: no
 * runtime exception, no error, no hang (jqwik's default time per property is bounded by the try count).
 */
class TextReadersFuzzTest {

    private static final List<String> SEEDS = List.of(
            "hello\tbonjour\nthank you\tmerci\n",
            "ABBE\tAE B IY\r\nABBEY\tAE B IY\n",
            "a\tb\tc\n\tempty source\nno tab here\n",
            "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n",
            "Émile\nZoë\nJürgen\n李\n");

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        Arbitrary<byte[]> damaged = Arbitraries.of(SEEDS).flatMap(seed -> {
            byte[] base = seed.getBytes(StandardCharsets.UTF_8);
            return Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(6).flatMap(positions ->
                    Arbitraries.of((byte) 0, (byte) 0xff, (byte) 0xc3, (byte) 0x80, (byte) '\t', (byte) '\n', (byte) '\r')
                            .list().ofSize(positions.size()).map(values -> {
                                byte[] b = base.clone();
                                for (int i = 0; i < positions.size(); i++) b[positions.get(i)] = values.get(i);
                                return b;
                            }));
        });
        return Arbitraries.oneOf(random, damaged);
    }

    @Property(tries = 300)
    void pairFilesReadOrNameTheFile(@ForAll("files") byte[] content) throws IOException {
        Path file = write("pairs", content);
        try {
            List<PairFile.Pair> pairs = PairFile.read(file);
            assertFalse(pairs.isEmpty(), "a pair file that reads has pairs");
            for (PairFile.Pair p : pairs) assertTrue(!p.source().isBlank() && !p.target().isBlank(), p.toString());
        } catch (IOException e) {
            assertNamesFile(e, file);
        } catch (RuntimeException e) {
            fail("pair file " + file + " escaped with " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 300)
    void corporaReadOrNameTheFile(@ForAll("files") byte[] content, @ForAll boolean words) throws IOException {
        Path file = write("corpus", content);
        try {
            Corpus c = Corpus.load(file, words ? Level.WORD : Level.CHAR, 1000, 0.1, 1 << 20);
            assertTrue(c != null);
        } catch (IOException e) {
            assertNamesFile(e, file);
        } catch (RuntimeException e) {
            fail("corpus " + file + " escaped with " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Path write(String prefix, byte[] content) throws IOException {
        Path file = Files.createTempFile("rnn4j-fuzz-" + prefix, ".txt");
        Files.write(file, content);
        return file;
    }

    private static void assertNamesFile(IOException e, Path file) {
        String m = e.getMessage();
        assertTrue(m != null && m.contains(file.getFileName().toString()), "the message names the file: " + m);
    }
}
