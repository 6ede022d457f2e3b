package dev.switchboard.provider;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;

/** Parses an upstream body into a JSON tree, turning every parser failure into a short reason. */
final class JsonBodyParser {
    /** Parser messages can quote long stretches of the body; a reason stays one readable line. */
    private static final int MAX_MESSAGE_CHARS = 160;

    private final ObjectReader reader;

    JsonBodyParser(ObjectMapper mapper) {
        // A valid document followed by garbage is as broken as garbage alone.
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @param redactor applied to the parser's message before it is shortened, which could cut a secret in two */
    JsonNode parse(byte[] body, Redactor redactor) throws FetchException {
        try {
            JsonNode tree = reader.readTree(body);
            if (tree == null || tree.isMissingNode()) throw new FetchException("malformed JSON: empty body");
            return tree;
        } catch (JsonProcessingException e) {
            throw new FetchException("malformed JSON: " + describe(e, redactor));
        } catch (IOException e) {
            throw new FetchException("malformed JSON: " + e.getClass().getSimpleName());
        }
    }

    private static String describe(JsonProcessingException e, Redactor redactor) {
        String message = redactor.redact(firstLine(e.getOriginalMessage()));
        if (message.length() > MAX_MESSAGE_CHARS) message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return message;
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) return "unreadable document";
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        // Some messages embed a second location ("(start marker at [Source: …])"); ours follows.
        int nested = line.indexOf(" (start marker at");
        return (nested < 0 ? line : line.substring(0, nested)).strip();
    }
}
