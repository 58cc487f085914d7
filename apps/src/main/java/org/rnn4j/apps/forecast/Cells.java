package org.rnn4j.apps.forecast;

import java.util.Locale;
import java.util.Set;

/** How one CSV cell is read: is it a missing value, and is it a number. */
public final class Cells {
    private Cells() {}

    /**
     * Spellings of a missing value, compared after trimming and ignoring case: empty, {@code NA},
     * {@code N/A}, {@code NaN}, {@code null}, {@code none}, {@code ?}, {@code -}, {@code --}, {@code #N/A}.
     */
    public static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?", "-", "--", "#n/a");

    /** Whether the cell spells a missing value. */
    public static boolean isMissing(String cell) {
        if (cell == null) return true;
        String s = cell.strip();
        if (s.length() > 4) return false;
        return MISSING.contains(s.toLowerCase(Locale.ROOT));
    }

    /**
     * The number in a cell, or NaN when it is not a plain decimal number. Accepted: an optional sign,
     * digits with an optional decimal point, an optional exponent ({@code 1.5e-3}); surrounding spaces.
     * Not accepted (so they are not silently read as numbers): {@code Infinity}, hexadecimal, Java's
     * {@code 1d}/{@code 1f} suffixes, thousands separators.
     */
    public static double parseNumber(String cell) {
        if (cell == null) return Double.NaN;
        String s = cell.strip();
        int n = s.length();
        if (n == 0) return Double.NaN;
        int i = 0;
        if (s.charAt(i) == '+' || s.charAt(i) == '-') i++;
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) return Double.NaN;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) return Double.NaN;
        }
        if (i != n) return Double.NaN;
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
