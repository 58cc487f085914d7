package org.rnn4j.apps.forecast;

/**
 * Data that cannot be turned into a forecasting dataset: no usable time column, an unknown or
 * non-numeric target, a column with no values, too few rows for the windows, a file that does not
 * match a trained model. The message is one line that names the file, column and what was expected.
 *
 * <p>An {@link IllegalArgumentException}, like {@link org.rnn4j.data.CsvException}, so a command line
 * tool can report both the same way (one line, usage exit code).
 */
public class ForecastDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ForecastDataException(String message) {
        super(message);
    }
}
