package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A provider's {@code allowed_models} / {@code denied_models}: a model id is kept when no allowed
 * globs are set or one matches, and no denied glob matches. Globs are case-sensitive and match the
 * whole id; {@code *} is any run of characters, {@code /} included (ids such as
 * {@code meta-llama/Llama-3-8B}), {@code ?} is one character.
 */
public final class ModelFilter {
    private final List<String> allowed;
    private final List<String> denied;
    private final List<Pattern> allowedPatterns;
    private final List<Pattern> deniedPatterns;

    public ModelFilter(List<String> allowed, List<String> denied) {
        this.allowed = List.copyOf(allowed);
        this.denied = List.copyOf(denied);
        this.allowedPatterns = this.allowed.stream().map(ModelFilter::compile).toList();
        this.deniedPatterns = this.denied.stream().map(ModelFilter::compile).toList();
    }

    public static ModelFilter of(ProviderConfig provider) {
        return new ModelFilter(provider.allowedModels(), provider.deniedModels());
    }

    public boolean accepts(String modelId) {
        boolean allowedHere = allowedPatterns.isEmpty() || matchesAny(allowedPatterns, modelId);
        return allowedHere && !matchesAny(deniedPatterns, modelId);
    }

    /** The models this filter accepts, in their order. */
    public List<Model> apply(List<Model> models) {
        return models.stream().filter(m -> accepts(m.id())).toList();
    }

    public List<String> allowed() {
        return allowed;
    }

    public List<String> denied() {
        return denied;
    }

    @Override
    public String toString() {
        return "ModelFilter[allowed=" + allowed + ", denied=" + denied + "]";
    }

    private static boolean matchesAny(List<Pattern> patterns, String id) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(id).matches()) return true;
        }
        return false;
    }

    /** Every character but the two wildcards is literal: dots, brackets and the like in ids mean themselves. */
    static Pattern compile(String glob) {
        var regex = new StringBuilder();
        var literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                flushLiteral(literal, regex);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        flushLiteral(literal, regex);
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static void flushLiteral(StringBuilder literal, StringBuilder regex) {
        if (literal.isEmpty()) return;
        regex.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
    }
}
