package org.rnn4j.apps.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a file keeps its time: one column of dates or date-times ({@code column}), or integer columns
 * for year and optionally month, day, hour and minute ({@code components}, in that order; the missing
 * finer ones are taken as the first month, first day, hour 0).
 */
public record TimeSpec(String column, List<String> components) {
    public TimeSpec {
        components = components == null ? List.of() : List.copyOf(components);
        if ((column == null) == components.isEmpty()) {
            throw new IllegalArgumentException("a time spec needs either a column or 1 to 5 component columns, got column="
                    + column + ", components=" + components);
        }
        if (column == null && components.size() > 5) {
            throw new IllegalArgumentException("time components must be year[, month[, day[, hour[, minute]]]], got "
                    + components);
        }
    }

    public static TimeSpec ofColumn(String column) {
        return new TimeSpec(column, List.of());
    }

    public static TimeSpec ofComponents(List<String> yearMonthDayHourMinute) {
        return new TimeSpec(null, yearMonthDayHourMinute);
    }

    /** The columns that carry time (one, or the components). */
    public List<String> columns() {
        return column != null ? List.of(column) : components;
    }

    /** "column 'date'" or "columns year, month, day, hour". */
    public String describe() {
        return column != null ? "column '" + column + "'" : "columns " + String.join(", ", components);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (column != null) m.put("column", column);
        else m.put("components", components);
        return m;
    }

    public static TimeSpec fromJson(Map<String, Object> json) {
        Object column = json.get("column");
        if (column != null) return ofColumn(column.toString());
        Object comps = json.get("components");
        if (comps instanceof List<?> list) {
            return ofComponents(list.stream().map(Object::toString).toList());
        }
        throw new IllegalArgumentException("time spec needs 'column' or 'components', got " + json);
    }
}
