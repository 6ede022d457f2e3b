package dev.switchboard.config;

/**
 * Where a setting came from, so that every error message can point at the line or variable to fix.
 */
sealed interface Origin {

    /**
     * The start of an error message about a key of {@code section} (e.g. {@code "[server]"}):
     * {@code "switchboard.toml:7: [server] "} or {@code "environment variable SWITCHBOARD_SERVER_PORT: "}.
     */
    String prefix(String section);

    /** A line of the config file, as the user named the file. */
    record FileLine(String file, int line) implements Origin {
        @Override
        public String prefix(String section) {
            return file + ":" + line + ": " + (section.isEmpty() ? "" : section + " ");
        }
    }

    /** An environment variable; its name already says which section and key it sets. */
    record EnvVariable(String name) implements Origin {
        @Override
        public String prefix(String section) {
            return "environment variable " + name + ": ";
        }
    }
}
