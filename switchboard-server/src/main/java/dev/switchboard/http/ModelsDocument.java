package dev.switchboard.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * One pre-serialized {@code /v1/models} body with its gzip form and strong ETag, built once per
 * catalog revision (or per filter) so serving it is a buffer write.
 *
 * <p>The bodies live in direct memory: a heap buffer is copied into a direct one by Netty on every
 * write, a direct one goes to the socket as it is. The header values are encoded once too.
 *
 * @param etag           the strong ETag, quotes included
 * @param etagHeader     {@code etag}, pre-encoded for the response headers
 * @param revisionHeader the revision, pre-encoded for {@code X-Switchboard-Revision}
 */
record ModelsDocument(long revision, Buffer json, Buffer gzip, String etag, CharSequence etagHeader,
                      CharSequence revisionHeader) {
    static ModelsDocument of(long revision, byte[] json) {
        return of(revision, "", json);
    }

    /**
     * A filtered list's body: {@code filterHash} goes into the ETag ({@code "<revision>-<filter hash>-<crc>"}), so
     * two filters never share one even when their bodies are equal (e.g. both empty); empty for the full list.
     */
    static ModelsDocument of(long revision, String filterHash, byte[] json) {
        CRC32 crc = new CRC32();
        crc.update(json);
        String etag = "\"" + revision + "-" + (filterHash.isEmpty() ? "" : filterHash + "-") + Long.toHexString(crc.getValue()) + "\"";
        return new ModelsDocument(revision, direct(json), direct(gzip(json)), etag, HttpHeaders.createOptimized(etag),
                HttpHeaders.createOptimized(Long.toString(revision)));
    }

    /**
     * A buffer over direct memory that the JDK frees once the document is unreachable (Netty's own
     * direct buffers would need an explicit release, which a document shared by all requests never gets).
     */
    private static Buffer direct(byte[] bytes) {
        ByteBuffer memory = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory)));
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
        if (ifNoneMatch.equals(etag)) return true; // what a client that cached this body sends
        for (String tag : ifNoneMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.startsWith("W/")) trimmed = trimmed.substring(2);
            if (trimmed.equals("*") || trimmed.equals(etag)) return true;
        }
        return false;
    }
}
