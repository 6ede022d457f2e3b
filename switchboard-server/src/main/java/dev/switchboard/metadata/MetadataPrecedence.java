package dev.switchboard.metadata;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which kind of source wins a field when several give it, highest first ({@code [model_catalog] metadata_precedence}).
 * Within {@code config}, an alias's own metadata wins over its provider's; within {@code catalog}, the metadata
 * sources count in the order the configuration lists them.
 */
public record MetadataPrecedence(List<Group> order) {
    public enum Group {
        CONFIG, UPSTREAM, CATALOG;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final MetadataPrecedence DEFAULT = new MetadataPrecedence(List.of(Group.CONFIG, Group.UPSTREAM, Group.CATALOG));

    public MetadataPrecedence {
        order = List.copyOf(order);
        if (order.size() != Group.values().length || new LinkedHashSet<>(order).size() != order.size()) {
            throw new IllegalArgumentException("must list each of " + names() + " once, highest precedence first");
        }
    }

    /**
     * Reads {@code ["config", "upstream", "catalog"]} in any order.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MetadataPrecedence parse(List<String> names) {
        List<Group> groups = names.stream().map(name -> Arrays.stream(Group.values())
                .filter(group -> group.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("must list each of " + names() + " once, got \"" + name + "\"")))
                .toList();
        return new MetadataPrecedence(groups);
    }

    public List<String> wireNames() {
        return order.stream().map(Group::wireName).toList();
    }

    private static String names() {
        return Arrays.stream(Group.values()).map(group -> "\"" + group.wireName() + "\"").collect(Collectors.joining(", "));
    }
}
