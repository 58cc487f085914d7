package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CellsTest {
    @Test
    void missingSpellings() {
        for (String s : new String[] {"", " ", "NA", "na", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "-", "#N/A"}) {
            assertTrue(Cells.isMissing(s), "'" + s + "'");
        }
        for (String s : new String[] {"0", "NW", "cv", "-1", "n", "nah"}) assertFalse(Cells.isMissing(s), s);
    }

    @Test
    void numbers() {
        assertEquals(12.8, Cells.parseNumber("12.8"));
        assertEquals(-21, Cells.parseNumber("-21"));
        assertEquals(0.5, Cells.parseNumber(".5"));
        assertEquals(5, Cells.parseNumber("5."));
        assertEquals(1.5e-3, Cells.parseNumber(" 1.5E-3 "));
        assertEquals(3, Cells.parseNumber("+3"));
        for (String s : new String[] {"", "NA", "Infinity", "NaN", "0x10", "1d", "1f", "1,000", "1e", "-", ".", "T"}) {
            assertTrue(Double.isNaN(Cells.parseNumber(s)), s);
        }
    }
}
