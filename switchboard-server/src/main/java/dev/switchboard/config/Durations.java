package dev.switchboard.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config file and environment: a number followed by a unit
 * ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}), optionally combined largest unit first
 * ({@code "1h30m"}), or a bare {@code 0}.
 */
public final class Durations {
    /** Completes a sentence such as "fetch_timeout must be …"; the loader puts the key in front. */
    static final String EXPECTED = "a duration such as \"250ms\", \"30s\", \"10m\", \"6h\", \"1d\" or \"1h30m\"";

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** Units largest first; a combination must follow this order so "30m1h" is caught as a typo. */
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message that completes "KEY …", naming the accepted forms
     */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (trimmed.equals("0")) return Duration.ZERO;
        if (!WHOLE.matcher(trimmed).matches()) throw invalid(text);
        Duration total = Duration.ZERO;
        int previousRank = -1;
        Matcher part = PART.matcher(trimmed);
        try {
            while (part.find()) {
                int rank = rank(part.group(2));
                if (rank <= previousRank) throw invalid(text);
                previousRank = rank;
                total = total.plus(of(Long.parseLong(part.group(1)), part.group(2)));
            }
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("is too large, got \"" + text + "\"");
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back, e.g. {@code "1h30m"}, {@code "250ms"} or {@code "0"}. */
    public static String format(Duration duration) {
        if (duration.isZero()) return "0";
        StringBuilder out = new StringBuilder();
        append(out, duration.toDays(), "d");
        append(out, duration.toHoursPart(), "h");
        append(out, duration.toMinutesPart(), "m");
        append(out, duration.toSecondsPart(), "s");
        append(out, duration.toMillisPart(), "ms");
        return out.isEmpty() ? duration.toString() : out.toString();
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount != 0) out.append(amount).append(unit);
    }

    private static int rank(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) return i;
        }
        throw new IllegalStateException(unit);
    }

    private static Duration of(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException(unit);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("must be " + EXPECTED + ", got \"" + text + "\"");
    }
}
