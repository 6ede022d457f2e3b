package dev.switchboard.provider;

import java.time.Duration;

/** Durations and sizes as an operator writes them in the config ({@code 5s}, {@code 16 MB}), for failure reasons. */
final class HumanUnits {
    private static final long KB = 1024;
    private static final long MB = KB * 1024;

    private HumanUnits() {
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) return millis + "ms";
        if (millis < 60_000) {
            return millis % 1000 == 0 ? millis / 1000 + "s" : trimZeros(String.format("%.1f", millis / 1000.0)) + "s";
        }
        long seconds = duration.toSeconds();
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        var text = new StringBuilder();
        if (hours > 0) text.append(hours).append('h');
        if (minutes > 0) text.append(minutes).append('m');
        if (rest > 0) text.append(rest).append('s');
        return text.toString();
    }

    static String bytes(long bytes) {
        if (bytes >= MB && bytes % MB == 0) return bytes / MB + " MB";
        if (bytes >= KB && bytes % KB == 0) return bytes / KB + " KB";
        return bytes + " bytes";
    }

    private static String trimZeros(String decimal) {
        return decimal.endsWith(".0") ? decimal.substring(0, decimal.length() - 2) : decimal;
    }
}
