package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A caller's request body, already checked to be one JSON object: its bytes as sent, and where each top-level
 * member sits in them, so that the body for an upstream is written by copying the members it keeps
 * ({@link UpstreamBody}) — no tree of the messages is built, and nothing the caller sent is re-encoded.
 *
 * <p>A name the caller sent twice is one member, as a JSON tree would hold it: the last value, at the first
 * one's place.
 *
 * @param members the top-level members in order
 * @param model   the value of {@code model}: its text, a JSON null when it is null or absent, and any other
 *                non-text node when it is not a string (its value is of no use then)
 */
public record CallerBody(byte[] bytes, List<Member> members, JsonNode model) {
    public CallerBody {
        members = List.copyOf(members);
    }

    /**
     * One top-level member.
     *
     * @param start where its name's opening quote is
     * @param end   just after its value
     */
    public record Member(String name, int start, int end) {
    }

    /** Whether the body has a top-level member {@code name}. */
    boolean has(String name) {
        for (Member member : members) {
            if (member.name().equals(name)) return true;
        }
        return false;
    }

    int length() {
        return bytes.length;
    }
}
