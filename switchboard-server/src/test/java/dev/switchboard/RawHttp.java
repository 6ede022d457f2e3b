package dev.switchboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket, for requests the JDK client will not send: a forged {@code Host}
 * header (as a browser sends after DNS rebinding), an oversized request line or header block. Each
 * request is sent with {@code Connection: close} and the answer read to the end of the stream.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** What came back: the status, the headers (names in lower case) and the body as text. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends {@code method target} with these header lines ({@code "Name: value"}) and body; adds
     * {@code Content-Length} when there is a body and {@code Connection: close}, nothing else.
     */
    public static Answer send(int port, String method, String target, String body, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) request.append(line).append("\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) request.append("Content-Length: ").append(content.length).append("\r\n");
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code method target} with its body in HTTP/1.1 chunks ({@code Transfer-Encoding: chunked}, two
     * chunks when it has two bytes or more) and {@code Connection: close}.
     */
    public static Answer sendChunked(int port, String method, String target, String body, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) request.append(line).append("\r\n");
        request.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        int half = content.length / 2;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            for (int[] chunk : new int[][]{{0, half}, {half, content.length}}) {
                if (chunk[1] == chunk[0]) continue;
                out.write((Integer.toHexString(chunk[1] - chunk[0]) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(content, chunk[0], chunk[1] - chunk[0]);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) out.write(chunk, 0, n);
        } catch (java.net.SocketException reset) {
            // The server may close right after answering a request it refused; keep what arrived.
        }
        return out.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) throw new IllegalStateException("no complete answer: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Answer(status, headers, text.substring(end + 4));
    }
}
