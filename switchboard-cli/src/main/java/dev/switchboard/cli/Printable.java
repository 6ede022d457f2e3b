package dev.switchboard.cli;

/**
 * Text that came from a server or a store, made safe for a terminal: control characters (ANSI escape sequences,
 * carriage returns, line breaks) are shown escaped, as {@code \n} or {@code \u001b}, instead of acting.
 */
final class Printable {
    private Printable() {
    }

    static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
