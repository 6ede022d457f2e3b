package dev.switchboard.config;

import dev.switchboard.config.RawConfig.RawTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What the readers of {@code [[providers]]} and {@code [[metadata_sources]]} share: ids, uniqueness, required keys. */
final class TableArrays {
    private final String label;
    private final String what;
    private final Problems problems;

    /**
     * @param label how messages name the tables, e.g. {@code [[providers]]}
     * @param what  what the tables are, plural, for the duplicate message, e.g. {@code provider}
     */
    TableArrays(String label, String what, Problems problems) {
        this.label = label;
        this.what = what;
        this.problems = problems;
    }

    /** Every table {@code read} could read, in file order; one whose id an earlier one took is reported instead. */
    <T> List<T> readUnique(List<RawTable> raws, Function<RawTable, Optional<T>> read, Function<T, String> id) {
        List<T> unique = new ArrayList<>();
        Map<String, Origin> firstSeen = new HashMap<>();
        for (RawTable raw : raws) {
            read.apply(raw).ifPresent(item -> {
                Origin at = raw.settings().get("id").origin();
                Origin first = firstSeen.putIfAbsent(id.apply(item), at);
                if (first != null) {
                    problems.add(at.prefix(label) + "duplicate id \"" + id.apply(item) + "\": already used at "
                            + where(first) + "; " + what + " ids must be unique");
                } else {
                    unique.add(item);
                }
            });
        }
        return unique;
    }

    /** The converted value of a key the table must have; a missing one is reported with an example. */
    <T> Optional<T> required(RawTable raw, SectionReader table, String key, String example, Function<Object, T> convert) {
        if (!table.has(key)) {
            problems.add(raw.origin().prefix(label) + "needs " + key + ", e.g. " + example);
            return Optional.empty();
        }
        return table.optional(key, convert);
    }

    /** A slug id, as providers and metadata sources have. */
    static String id(Object value) {
        String id = Values.text(value);
        if (!ProviderConfig.ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException("must be 1 to 63 lowercase letters, digits, \".\", \"_\" or \"-\","
                    + " starting with a letter or digit, got " + Values.quote(id));
        }
        return id;
    }

    private static String where(Origin origin) {
        return origin instanceof Origin.FileLine line ? "line " + line.line() : origin.prefix("").trim();
    }
}
