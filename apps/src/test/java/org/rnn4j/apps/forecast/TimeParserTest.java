package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimeParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2012-01-01|2012-01-01T00:00",
        "2012-1-5|2012-01-05T00:00",
        "2012/01/31|2012-01-31T00:00",
        "2012.01.31|2012-01-31T00:00",
        "31.01.2012|2012-01-31T00:00",
        "01.02.2012 13:45|2012-02-01T13:45",
        "20120131|2012-01-31T00:00",
        "2012-03|2012-03-01T00:00",
        "2012-01-01T01:00|2012-01-01T01:00",
        "2012-01-01T01:00:30|2012-01-01T01:00:30",
        "2012-01-01 01:00|2012-01-01T01:00",
        "2012-01-01  7:05:09|2012-01-01T07:05:09",
        "2012-01-01T01|2012-01-01T01:00",
        "2012-01-01T01:00:00.250|2012-01-01T01:00:00.250",
        "2012-01-01T01:00Z|2012-01-01T01:00",
        "2012-01-01 01:00 UTC|2012-01-01T01:00",
        "2012-01-01T01:00+02:00|2011-12-31T23:00",
        "2012-01-01T01:00-0130|2012-01-01T02:30",
        "2012-01-01T23:00+01|2012-01-01T22:00",
        "2012-01-31 24:00|2012-02-01T00:00",
        " 2012-01-01 |2012-01-01T00:00",
    })
    void acceptedFormats(String text, String expected) {
        assertEquals(Optional.of(LocalDateTime.parse(expected)), TimeParser.tryParse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "2012", "1013.5", "12.8", "2012-02-30", "2012-13-01", "2012-01-01T25:00",
        "01/31/2012", "31/01/2012", "2012-01 13:00", "2012-01-01T01:00+19:00", "2012-01-01X", "123456789"})
    void rejected(String text) {
        assertEquals(Optional.empty(), TimeParser.tryParse(text), text);
    }

    @Test
    void parseNamesWhereAndListsFormats() {
        ForecastDataException e = assertThrows(ForecastDataException.class,
                () -> TimeParser.parse("yesterday", "f.csv, line 9, column 'date'"));
        assertTrue(e.getMessage().startsWith("f.csv, line 9, column 'date': cannot read 'yesterday'"), e.getMessage());
        assertTrue(e.getMessage().contains("2012-01-31"), e.getMessage());
    }
}
