package dev.switchboard.http;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * One pre-serialized {@code /v1/models} body with its gzip form and strong ETag, built once per
 * catalog revision (or per filter) so serving it is a buffer write.
 */
record ModelsDocument(long revision, Buffer json, Buffer gzip, String etag) {
    static ModelsDocument of(long revision, byte[] json) {
        CRC32 crc = new CRC32();
        crc.update(json);
        String etag = "\"" + revision + "-" + Long.toHexString(crc.getValue()) + "\"";
        return new ModelsDocument(revision, Buffer.buffer(json), Buffer.buffer(gzip(json)), etag);
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 4));
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** True when {@code If-None-Match} names this document (a list, {@code *}, and weak forms count). */
    boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) return false;
        for (String tag : ifNoneMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.startsWith("W/")) trimmed = trimmed.substring(2);
            if (trimmed.equals("*") || trimmed.equals(etag)) return true;
        }
        return false;
    }
}
