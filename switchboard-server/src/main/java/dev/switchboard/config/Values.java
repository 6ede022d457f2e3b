package dev.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Conversions from a raw value (TOML typed, or a string from the environment) to what a record needs.
 * Each throws {@link IllegalArgumentException} whose message completes "KEY …", e.g.
 * {@code must be an integer from 0 to 65535, got "80a"}. Numbers and booleans are also accepted as
 * strings, because environment variables have no other type.
 */
final class Values {
    private Values() {
    }

    static String text(Object value) {
        if (value instanceof String text) return text;
        throw new IllegalArgumentException("must be a string, got " + describe(value));
    }

    static String nonBlankText(Object value) {
        String text = text(value);
        if (text.isBlank()) throw new IllegalArgumentException("must not be empty");
        return text;
    }

    static int integer(Object value, int min, int max) {
        String expected = max == Integer.MAX_VALUE && min == 1
                ? "a positive integer" : "an integer from " + min + " to " + max;
        long number;
        if (value instanceof Long whole) {
            number = whole;
        } else if (value instanceof String text && text.strip().matches("[+-]?\\d{1,18}")) {
            number = Long.parseLong(text.strip());
        } else {
            throw new IllegalArgumentException("must be " + expected + ", got " + describe(value));
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException("must be " + expected + ", got " + describe(value));
        }
        return (int) number;
    }

    static boolean bool(Object value) {
        if (value instanceof Boolean flag) return flag;
        if (value instanceof String text) {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> { return true; }
                case "false" -> { return false; }
                default -> { }
            }
        }
        throw new IllegalArgumentException("must be true or false, got " + describe(value));
    }

    /** A number from 0 to 1 inclusive, such as a jitter or a share of models. */
    static double fraction(Object value) {
        double number;
        if (value instanceof Double decimal) {
            number = decimal;
        } else if (value instanceof Long whole) {
            number = whole;
        } else if (value instanceof String text && text.strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)")) {
            number = Double.parseDouble(text.strip());
        } else {
            throw new IllegalArgumentException("must be a number from 0 to 1, got " + describe(value));
        }
        if (!(number >= 0 && number <= 1)) {
            throw new IllegalArgumentException("must be a number from 0 to 1, got " + describe(value));
        }
        return number;
    }

    /** A duration of zero or more; the only bare number accepted is 0, since any other lacks a unit. */
    static Duration duration(Object value) {
        if (value instanceof String text) return Durations.parse(text);
        if (value instanceof Long whole && whole == 0) return Duration.ZERO;
        throw new IllegalArgumentException("must be " + Durations.EXPECTED + ", got " + describe(value));
    }

    static Duration positiveDuration(Object value) {
        Duration duration = duration(value);
        if (duration.isZero()) throw new IllegalArgumentException("must be longer than 0, got " + describe(value));
        return duration;
    }

    /** A positive number of bytes: an integer, or a string with a unit. */
    static long size(Object value) {
        long bytes;
        if (value instanceof String text) {
            bytes = ByteSizes.parse(text);
        } else if (value instanceof Long whole && whole >= 0) {
            bytes = whole;
        } else {
            throw new IllegalArgumentException("must be " + ByteSizes.EXPECTED + ", got " + describe(value));
        }
        if (bytes == 0) throw new IllegalArgumentException("must be larger than 0, got " + describe(value));
        return bytes;
    }

    /** The value as an error message shows it: strings quoted, numbers as written, others by their kind. */
    static String describe(Object value) {
        return switch (value) {
            case String text -> quote(text);
            case Long whole -> whole.toString();
            case Double decimal -> decimal.toString();
            case Boolean flag -> flag.toString();
            case List<?> list -> "an array";
            case Map<?, ?> map -> "a table";
            case null -> "nothing";
            default -> "a date or time (" + value + ")";
        };
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
