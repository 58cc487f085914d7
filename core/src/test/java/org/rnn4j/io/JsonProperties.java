package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JsonProperties {

    /** JSON values as the parser returns them, so write-then-parse must give back an equal value. */
    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.strings().ofMaxLength(12).map(Object.class::cast),
                () -> Arbitraries.longs().map(Object.class::cast),
                () -> Arbitraries.doubles().ofScale(300).map(Object.class::cast),
                () -> Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast),
                () -> Arbitraries.just(null),
                () -> values().list().ofMaxSize(4).map(Object.class::cast),
                () -> Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), values()).ofMaxSize(4)
                        .map(m -> (Object) new LinkedHashMap<>(m)));
    }

    @Property(tries = 300)
    void writtenValuesParseBackEqual(@ForAll("values") Object value) {
        // Lone surrogates are refused by the writer on purpose; keep to valid text here.
        if (hasLoneSurrogate(value)) return;
        assertEquals(value, Json.parse(Json.write(value)));
        assertEquals(value, Json.parse(Json.writePretty(value)));
    }

    @Property(tries = 300)
    void doublesRoundTrip(@ForAll double d) {
        if (!Double.isFinite(d)) return;
        assertEquals(d, (double) (Double) Json.parse(Json.write(d)));
    }

    /** Random text is either JSON or a JsonException, never anything else. */
    @Property(tries = 300)
    void garbageGivesJsonException(@ForAll("jsonish") String text) {
        try {
            Json.parse(text);
        } catch (JsonException e) {
            // expected for most inputs
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\":,.-+eE0123456789 \\u tfalsenul\uD800").ofMaxLength(40);
    }

    private static boolean hasLoneSurrogate(Object v) {
        return switch (v) {
            case String s -> !s.codePoints().allMatch(c -> c < 0xD800 || c > 0xDFFF);
            case List<?> l -> l.stream().anyMatch(JsonProperties::hasLoneSurrogate);
            case Map<?, ?> m -> m.keySet().stream().anyMatch(JsonProperties::hasLoneSurrogate)
                    || m.values().stream().anyMatch(x -> x != null && hasLoneSurrogate(x));
            case null -> false;
            default -> false;
        };
    }
}
