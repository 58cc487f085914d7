package org.rnn4j.apps.forecast;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.rnn4j.data.CsvReader;
import org.rnn4j.data.CsvTable;

/** Small hand-made tables for tests. */
final class Tables {
    private Tables() {}

    /** Parses CSV text (header first). */
    static CsvTable csv(String text) {
        try {
            return CsvReader.readTable(new StringReader(text), "t.csv", CsvReader.Options.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A daily table: header "date,<columns>", one row per day from start, cells from {@code row(i)}. */
    static CsvTable daily(LocalDate start, int days, String columns, IntFunction<String> row) {
        StringBuilder sb = new StringBuilder("date,").append(columns).append('\n');
        for (int i = 0; i < days; i++) sb.append(start.plusDays(i)).append(',').append(row.apply(i)).append('\n');
        return csv(sb.toString());
    }

    /** An hourly table with an ISO date-time column "time". */
    static CsvTable hourly(LocalDateTime start, int hours, String columns, IntFunction<String> row) {
        StringBuilder sb = new StringBuilder("time,").append(columns).append('\n');
        for (int i = 0; i < hours; i++) sb.append(start.plusHours(i)).append(',').append(row.apply(i)).append('\n');
        return csv(sb.toString());
    }

    /** The first {@code rows} data rows of a table, as a new table. */
    static CsvTable prefix(CsvTable t, int rows) {
        List<String[]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            String[] row = new String[t.columnCount()];
            for (int c = 0; c < row.length; c++) row[c] = t.value(r, c);
            out.add(row);
        }
        return CsvTable.of(t.source(), t.columnNames(), out);
    }
}
