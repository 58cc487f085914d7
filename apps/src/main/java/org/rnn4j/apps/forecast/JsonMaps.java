package org.rnn4j.apps.forecast;

import java.util.List;
import java.util.Map;

/**
 * Reading values back from JSON-like maps (as a JSON library produces them: String, Number, Boolean,
 * List, Map), with messages that name the key and what was found.
 */
final class JsonMaps {
    private JsonMaps() {}

    static Object require(Map<String, Object> m, String key, String what) {
        Object v = m.get(key);
        if (v == null) throw new IllegalArgumentException(what + ": missing key '" + key + "'");
        return v;
    }

    static String string(Map<String, Object> m, String key, String what) {
        return require(m, key, what).toString();
    }

    static String optionalString(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    static double number(Map<String, Object> m, String key, String what) {
        Object v = require(m, key, what);
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            // JSON cannot hold NaN or infinities; writers that spell them as strings are accepted.
            switch (s) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new IllegalArgumentException(what + ": '" + key + "' must be a number, got " + v);
    }

    static int integer(Map<String, Object> m, String key, String what) {
        double d = number(m, key, what);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": '" + key + "' must be an integer, got " + d);
        }
        return (int) d;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key, String what) {
        Object v = require(m, key, what);
        if (v instanceof Map<?, ?>) return (Map<String, Object>) v;
        throw new IllegalArgumentException(what + ": '" + key + "' must be an object, got " + v);
    }

    static List<?> list(Map<String, Object> m, String key, String what) {
        Object v = require(m, key, what);
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException(what + ": '" + key + "' must be a list, got " + v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object v, String what) {
        if (v instanceof Map<?, ?>) return (Map<String, Object>) v;
        throw new IllegalArgumentException(what + " must be an object, got " + v);
    }
}
