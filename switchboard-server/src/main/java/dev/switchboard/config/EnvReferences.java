package dev.switchboard.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:NAME}} references inside string values, so that credentials stay out of the file.
 * A reference may be the whole value or part of it ({@code "Bearer ${env:TOKEN}"}); {@code $${} writes a
 * literal {@code ${}. Any other {@code ${…}} is an error rather than left as is: {@code ${OPENAI_API_KEY}}
 * is almost certainly a reference missing its {@code env:}.
 */
final class EnvReferences {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String ENV = "env:";

    private final Map<String, String> env;

    EnvReferences(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    static boolean containsReference(String text) {
        return text.contains("${");
    }

    /**
     * {@code text} with every reference replaced by its variable's value.
     *
     * @throws IllegalArgumentException with a message that completes "KEY …"; it never repeats the value,
     *                                  which may be a credential
     */
    String expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("has a \"${\" without its closing \"}\";"
                            + " write ${env:NAME}, or $${ for a literal \"${\"");
                }
                out.append(resolve(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        if (!reference.startsWith(ENV)) {
            String hint = NAME.matcher(reference).matches() ? "write ${env:" + reference + "}" : "write ${env:NAME}";
            throw new IllegalArgumentException("has an unsupported reference; only ${env:NAME} is supported: "
                    + hint + ", or $${ for a literal \"${\"");
        }
        String name = reference.substring(ENV.length());
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("refers to an environment variable with an invalid name; a name is"
                    + " letters, digits and underscores, e.g. ${env:OPENAI_API_KEY}");
        }
        String value = env.get(name);
        if (value == null) {
            throw new IllegalArgumentException("refers to environment variable " + name + ", which is not set");
        }
        return value;
    }
}
