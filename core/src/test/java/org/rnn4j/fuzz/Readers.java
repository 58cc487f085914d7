package org.rnn4j.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.data.CsvException;
import org.rnn4j.data.CsvReader;
import org.rnn4j.data.CsvTable;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.JsonException;
import org.rnn4j.io.ModelFile;
import org.rnn4j.io.Safetensors;
import org.rnn4j.io.SafetensorsFile;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.NpyArray;
import org.rnn4j.train.Checkpointer;

/**
 * The fuzz targets: each writes the bytes to a file and reads it with one rnn4j reader, then uses what it read.
 *
 * <p>The contract under test: a reader either returns a valid object or throws a {@link FormatException}
 * whose message starts with the file name (JSON text: a {@link JsonException}). Any other exception, a hang
 * or an allocation beyond the file's size is a bug; the fuzzers report it as a crash. Other rejections are
 * thrown here as {@link AssertionError} so that they count as crashes too.
 */
public final class Readers {
    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            // Memory-backed /dev/shm where there is one: millions of writes should not wear a disk.
            Path shm = Path.of("/dev/shm");
            Path p = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempFile(shm, "rnn4j-fuzz-", ".bin")
                    : Files.createTempFile("rnn4j-fuzz-", ".bin");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private Readers() {}

    public static void npy(byte[] data) {
        Path file = write(data);
        try {
            NpyArray a = Npy.read(file);
            // Every conversion must work on whatever was read.
            a.toDoubles();
            if (a.dtype().isInteger()) a.toLongs();
            a.toTensor();
        } catch (FormatException e) {
            expectNamed(e, file);
        } catch (IOException e) {
            throw new AssertionError("Npy.read: IOException that is not a FormatException: " + e, e);
        }
    }

    public static void safetensors(byte[] data) {
        Path file = write(data);
        try {
            SafetensorsFile f = Safetensors.read(file);
            f.metadata();
            for (String name : f.names()) {
                f.shape(name);
                f.tensor(name);
                f.doubles(name);
            }
        } catch (FormatException e) {
            expectNamed(e, file);
        } catch (IOException e) {
            throw new AssertionError("Safetensors.read: IOException that is not a FormatException: " + e, e);
        }
    }

    public static void modelFile(byte[] data) {
        Path file = write(data);
        try {
            var model = ModelFile.load(file);
            model.parameters();
        } catch (FormatException e) {
            expectNamed(e, file);
        } catch (IOException e) {
            throw new AssertionError("ModelFile.load: IOException that is not a FormatException: " + e, e);
        }
    }

    public static void checkpoint(byte[] data) {
        Path file = write(data);
        try {
            Checkpointer.read(file);
        } catch (FormatException e) {
            expectNamed(e, file);
        } catch (IOException e) {
            throw new AssertionError("Checkpointer.read: IOException that is not a FormatException: " + e, e);
        }
    }

    /** CSV tables (the forecast command's input): with the detected delimiter, and with a small record limit. */
    public static void csv(byte[] data) {
        Path file = write(data);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                CsvTable t = attempt == 0 ? CsvReader.readTable(file)
                        : CsvReader.readTable(file, new CsvReader.Options(CsvReader.detectDelimiter(file), 64));
                t.columnNames();
            } catch (CsvException e) {
                if (!e.getMessage().startsWith(file.toString())) {
                    throw new AssertionError("message does not start with the file name: " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new AssertionError("CsvReader: IOException instead of a CsvException: " + e, e);
            }
        }
    }

    /** Both entry points: the parser on (leniently decoded) text, and the file reader with its strict UTF-8. */
    public static void json(byte[] data) {
        try {
            Object v = Json.parse(new String(data, StandardCharsets.UTF_8));
            // What was read must write back and read back the same.
            String again = Json.write(v);
            if (!Json.write(Json.parse(again)).equals(again)) throw new AssertionError("JSON did not round-trip: " + again);
        } catch (JsonException e) {
            if (e.getMessage() == null || !e.getMessage().contains("position")) throw new AssertionError("message without position", e);
        }
        Path file = write(data);
        try {
            Json.readFile(file);
        } catch (FormatException e) {
            expectNamed(e, file);
        } catch (IOException e) {
            throw new AssertionError("Json.readFile: IOException that is not a FormatException: " + e, e);
        }
    }

    private static Path write(byte[] data) {
        Path file = FILE.get();
        try {
            Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void expectNamed(FormatException e, Path file) {
        if (!e.getMessage().startsWith(file.toString())) {
            throw new AssertionError("message does not start with the file name: " + e.getMessage(), e);
        }
    }
}
