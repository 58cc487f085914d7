package org.rnn4j.cli.seq2seq;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rnn4j.cli.UserException;
import org.rnn4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cmudict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a CMUdict file (WORD  PH1 PH2 ...) into seq2seq pairs (WORD<TAB>PH1 PH2 ...).",
                "Alternative pronunciations stay as separate lines (alternative references); a variant marker",
                "WORD(2) is removed. --exclude-words / --only-words filter by the words of another CMUdict file."})
final class CmudictCommand implements Callable<Integer> {
    @Option(names = "--dict", required = true, paramLabel = "FILE", description = "CMUdict-format file")
    Path dict;
    @Option(names = "--exclude-words", paramLabel = "FILE", description = "drop every word that appears in this CMUdict file")
    Path exclude;
    @Option(names = "--only-words", paramLabel = "FILE", description = "keep only words that appear in this CMUdict file")
    Path only;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "pairs to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        Set<String> ex = exclude == null ? null : words(exclude);
        Set<String> keep = only == null ? null : words(only);
        List<String> lines = Files.readAllLines(dict, StandardCharsets.UTF_8);
        int[] written = {0};
        AtomicFiles.write(out, os -> {
            BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8));
            for (int i = 0; i < lines.size(); i++) {
                String[] wp = parse(dict, lines.get(i), i + 1);
                if (wp == null) continue;
                if (ex != null && ex.contains(wp[0])) continue;
                if (keep != null && !keep.contains(wp[0])) continue;
                w.write(wp[0] + "\t" + wp[1] + "\n");
                written[0]++;
            }
            w.flush();
        });
        System.out.println("wrote " + written[0] + " pairs to " + out);
        return 0;
    }

    /** [word, phones] or null for a comment/blank line. */
    static String[] parse(Path file, String line, int lineNo) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith(";;;")) return null;
        int hash = s.indexOf(" #");
        if (hash >= 0) s = s.substring(0, hash).strip();
        String[] parts = s.split("\\s+", 2);
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new UserException(file + ": line " + lineNo + ": expected WORD followed by phones, got '" + line + "'");
        }
        String word = parts[0].replaceFirst("\\(\\d+\\)$", "");
        return new String[] {word, String.join(" ", parts[1].strip().split("\\s+"))};
    }

    static Set<String> words(Path file) throws IOException {
        Set<String> out = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] wp = parse(file, lines.get(i), i + 1);
            if (wp != null) out.add(wp[0]);
        }
        return out;
    }
}
