package org.rnn4j.apps.seq2seq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.io.FormatException;

/**
 * Reads sentence pairs, one per line: {@code source<TAB>target} in UTF-8. Columns after the second
 * are ignored (Tatoeba exports add an attribution column). Several lines may share a source: they are
 * alternative references. Every problem is a {@link FormatException} naming the file and line.
 */
public final class PairFile {
    /** Longest line accepted, in characters; longer lines are almost certainly not sentence pairs. */
    public static final int MAX_LINE_CHARS = 10_000;

    /** One pair as read; {@code line} is 1-based. */
    public record Pair(String source, String target, int line) {}

    private PairFile() {}

    public static List<Pair> read(Path file) throws IOException {
        List<Pair> out = new ArrayList<>();
        try (Utf8Lines lines = new Utf8Lines(Files.newInputStream(file))) {
            for (String line; (line = lines.next()) != null; ) out.add(parse(file, line, lines.lineNumber()));
        } catch (Utf8Lines.InvalidUtf8 e) {
            throw new FormatException(file, e.getMessage());
        }
        if (out.isEmpty()) throw new FormatException(file, "no pairs (the file is empty); expected lines source<TAB>target");
        return out;
    }

    /** Parses one line; the message of any problem names the file and line. */
    public static Pair parse(Path file, String line, int lineNo) throws FormatException {
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        if (line.length() > MAX_LINE_CHARS) {
            throw new FormatException(file, "line " + lineNo + " is " + line.length() + " characters long; the limit is " + MAX_LINE_CHARS);
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
            throw new FormatException(file, "line " + lineNo + ": expected source<TAB>target, found no tab in "
                    + FormatException.quote(line));
        }
        int end = line.indexOf('\t', tab + 1);
        String source = line.substring(0, tab);
        String target = end < 0 ? line.substring(tab + 1) : line.substring(tab + 1, end);
        if (source.isBlank()) throw new FormatException(file, "line " + lineNo + ": the source (before the tab) is empty");
        if (target.isBlank()) throw new FormatException(file, "line " + lineNo + ": the target (after the tab) is empty");
        return new Pair(source, target, lineNo);
    }
}
