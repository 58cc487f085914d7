package org.rnn4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole CSV file in memory: named columns of string cells, and the line each row started on so that
 * later stages (number parsing, time parsing) can name the line of a bad value.
 *
 * <p>Immutable. Cells are kept column by column because every consumer works on whole columns.
 */
public final class CsvTable {
    private final String source;
    private final List<String> names;
    private final Map<String, Integer> index;
    private final String[][] columns; // [column][row]
    private final long[] lines; // [row]

    private CsvTable(String source, List<String> names, String[][] columns, long[] lines) {
        this.source = source;
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        this.index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        this.columns = columns;
        this.lines = lines;
    }

    /**
     * A table from in-memory rows (for tests and for callers that build data themselves); row {@code r}
     * is reported as line {@code r + 2}, as if it followed a header line.
     */
    public static CsvTable of(String source, List<String> header, List<String[]> rows) {
        Builder b = new Builder(source, header);
        long line = 2;
        for (String[] row : rows) {
            if (row.length != header.size()) {
                throw new CsvException(source, line, "expected " + header.size() + " fields, got " + row.length);
            }
            b.add(row.clone(), line++);
        }
        return b.build();
    }

    /** The file or label this table was read from, for messages. */
    public String source() {
        return source;
    }

    /** Column names in file order. */
    public List<String> columnNames() {
        return names;
    }

    public int columnCount() {
        return names.size();
    }

    public int rowCount() {
        return lines.length;
    }

    /** Whether a column has exactly this name. */
    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    /**
     * The position of a column.
     *
     * @throws CsvException "unknown column 'X'; the file has: a, b, c", with a hint when only the case
     *     or surrounding spaces differ
     */
    public int columnIndex(String name) {
        Integer i = index.get(name);
        if (i != null) return i;
        Optional<String> near = findColumnIgnoreCase(name.strip());
        String hint = near.isPresent() ? " (did you mean '" + near.get() + "'?)" : "";
        throw new CsvException(source, 0, "unknown column '" + name + "'" + hint + "; the file has: "
                + String.join(", ", names));
    }

    /** The column whose name equals {@code name} ignoring case, if there is exactly one such. */
    public Optional<String> findColumnIgnoreCase(String name) {
        String found = null;
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                if (found != null) return Optional.empty();
                found = n;
            }
        }
        return Optional.ofNullable(found);
    }

    /** One cell. */
    public String value(int row, int column) {
        return columns[column][row];
    }

    /** A copy of one column's cells, by name. */
    public String[] column(String name) {
        return columns[columnIndex(name)].clone();
    }

    /** A copy of one column's cells, by position. */
    public String[] column(int column) {
        return columns[column].clone();
    }

    /** A read-only view of one column's cells (no copy). */
    public List<String> columnView(int column) {
        return Collections.unmodifiableList(Arrays.asList(columns[column]));
    }

    /** The 1-based line of the file on which data row {@code row} (0-based) starts. */
    public long line(int row) {
        return lines[row];
    }

    /** Collects records as they are read. */
    static final class Builder {
        private final String source;
        private final List<String> names;
        private final List<String[]> rows = new ArrayList<>();
        private long[] lines = new long[64];

        Builder(String source, List<String> names) {
            this.source = source;
            this.names = names;
        }

        void add(String[] record, long line) {
            if (rows.size() == lines.length) lines = Arrays.copyOf(lines, lines.length * 2);
            lines[rows.size()] = line;
            rows.add(record);
        }

        int rowCount() {
            return rows.size();
        }

        CsvTable build() {
            int n = rows.size();
            String[][] columns = new String[names.size()][n];
            // Repeated cells (categories, integers, "NA") share one String, which roughly halves memory
            // on typical weather files.
            Map<String, String> pool = new HashMap<>();
            for (int r = 0; r < n; r++) {
                String[] record = rows.get(r);
                for (int c = 0; c < columns.length; c++) {
                    String v = record[c];
                    if (v.length() <= 8) {
                        String shared = pool.get(v);
                        if (shared != null) {
                            v = shared;
                        } else if (pool.size() < 1 << 16) {
                            pool.put(v, v);
                        }
                    }
                    columns[c][r] = v;
                }
                rows.set(r, null);
            }
            return new CsvTable(source, names, columns, Arrays.copyOf(lines, n));
        }
    }
}
