package dev.switchboard.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in the config file and environment: {@code "100B"}, {@code "512KB"}, {@code "16MB"},
 * {@code "1GB"} or a plain number of bytes. Units are 1024-based (as for memory and body limits, where
 * nobody means 1000), so {@code MB} and {@code MiB} are the same; units are case-insensitive.
 */
public final class ByteSizes {
    /** Completes a sentence such as "max_body_size must be …"; the loader puts the key in front. */
    static final String EXPECTED = "a size such as \"100B\", \"512KB\", \"16MB\" or \"1GB\""
            + " (1024-based; KiB, MiB and GiB also accepted) or a whole number of bytes";

    private static final long KB = 1024;
    private static final Map<String, Long> MULTIPLIERS = Map.of(
            "", 1L, "b", 1L,
            "kb", KB, "kib", KB,
            "mb", KB * KB, "mib", KB * KB,
            "gb", KB * KB * KB, "gib", KB * KB * KB,
            "tb", KB * KB * KB * KB, "tib", KB * KB * KB * KB);
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    private ByteSizes() {
    }

    /**
     * Parses {@code text} into a number of bytes.
     *
     * @throws IllegalArgumentException with a message that completes "KEY …", naming the accepted forms
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        Long multiplier = matcher.matches() ? MULTIPLIERS.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
        if (multiplier == null) {
            throw new IllegalArgumentException("must be " + EXPECTED + ", got \"" + text + "\"");
        }
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("is too large, got \"" + text + "\"");
        }
    }

    /** The largest unit that divides {@code bytes} exactly, e.g. {@code "16MB"}, {@code "1536KB"}, {@code "100B"}. */
    public static String format(long bytes) {
        String[] units = {"TB", "GB", "MB", "KB"};
        long unit = KB * KB * KB * KB;
        for (String name : units) {
            if (bytes != 0 && bytes % unit == 0) return bytes / unit + name;
            unit /= KB;
        }
        return bytes + "B";
    }
}
