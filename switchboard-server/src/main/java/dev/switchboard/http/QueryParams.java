package dev.switchboard.http;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Query parameter shapes shared by routes. */
final class QueryParams {
    private QueryParams() {
    }

    /** A comma-separated, repeatable query parameter as a set, or null when absent. */
    static Set<String> csv(List<String> values) {
        if (values.isEmpty()) return null;
        Set<String> set = new LinkedHashSet<>();
        for (String value : values) {
            Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(set::add);
        }
        return set;
    }
}
