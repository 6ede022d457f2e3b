package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds the token counts of an answer as it passes, without holding the answer: OpenAI puts {@code usage} at
 * the end (of a JSON answer, and in the last event of a stream that asked for it), so only the last
 * {@link #TAIL_BYTES} bytes are kept, copied, and searched once the answer ended.
 */
final class UsageTap {
    /** Enough for a {@code usage} object with its details and the end of a stream after it. */
    static final int TAIL_BYTES = 8 * 1024;
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    /** The bytes so far while fewer than {@link #TAIL_BYTES} came (sized to them: most answers are short), then a ring. */
    private byte[] bytes = new byte[0];
    private long written;

    void add(Buffer chunk) {
        int length = chunk.length();
        if (written + length <= TAIL_BYTES) {
            int size = (int) written;
            if (size + length > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.min(TAIL_BYTES, Math.max(size + length, 2 * size)));
            chunk.getBytes(0, length, bytes, size);
            written += length;
            return;
        }
        if (bytes.length < TAIL_BYTES) bytes = java.util.Arrays.copyOf(bytes, TAIL_BYTES); // the ring starts where the bytes end
        int from = Math.max(0, length - TAIL_BYTES);
        for (int i = from; i < length; ) {
            int at = (int) (written % TAIL_BYTES);
            int n = Math.min(length - i, TAIL_BYTES - at);
            chunk.getBytes(i, i + n, bytes, at);
            i += n;
            written += n;
        }
    }

    /** The counts of the last {@code usage} object seen, or {@link Usage#NONE}. */
    Usage usage(ObjectMapper mapper) {
        byte[] tail = tail();
        for (int at = lastIndexOf(tail, tail.length); at >= 0; at = lastIndexOf(tail, at)) {
            int open = skipToObject(tail, at + USAGE.length);
            if (open < 0) continue; // "usage": null, as every chunk but the last of a stream has
            try (JsonParser parser = mapper.getFactory().createParser(tail, open, tail.length - open)) {
                JsonNode usage = mapper.readTree(parser);
                long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
                long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
                return new Usage(prompt, completion);
            } catch (IOException | RuntimeException truncated) {
                return Usage.NONE;
            }
        }
        return Usage.NONE;
    }

    record Usage(long prompt, long completion) {
        static final Usage NONE = new Usage(0, 0);
    }

    private byte[] tail() {
        if (written <= TAIL_BYTES) return java.util.Arrays.copyOf(bytes, (int) written);
        byte[] tail = new byte[TAIL_BYTES];
        int start = (int) (written % TAIL_BYTES);
        System.arraycopy(bytes, start, tail, 0, TAIL_BYTES - start);
        System.arraycopy(bytes, 0, tail, TAIL_BYTES - start, start);
        return tail;
    }

    /** The last start of {@code "usage"} before {@code end}, or -1. */
    private static int lastIndexOf(byte[] bytes, int end) {
        outer:
        for (int i = end - USAGE.length; i >= 0; i--) {
            for (int j = 0; j < USAGE.length; j++) {
                if (bytes[i + j] != USAGE[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** After {@code "usage"}: the index of its object's {@code {}, or -1 when its value is something else. */
    private static int skipToObject(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && isSpace(bytes[i])) i++;
        if (i >= bytes.length || bytes[i] != ':') return -1;
        i++;
        while (i < bytes.length && isSpace(bytes[i])) i++;
        return i < bytes.length && bytes[i] == '{' ? i : -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
