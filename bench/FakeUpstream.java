import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake OpenAI-compatible upstream for the benchmarks, run as a single-file program:
 * {@code java bench/FakeUpstream.java PORT}. Loopback only.
 *
 * <p>{@code GET /p/{provider}/{count}/models} answers an OpenAI model list of {@code count} models
 * named {@code {provider}-model-00001 …}, the same bytes on every call (built once, then cached), so
 * any provider size needs no config here. {@code GET /stats} tells how many lists were served.
 */
public final class FakeUpstream {
    private static final Map<String, byte[]> BODIES = new ConcurrentHashMap<>();
    private static final AtomicLong SERVED = new AtomicLong();

    public static void main(String[] args) throws IOException {
        // Without TCP_NODELAY the headers and body go out as two segments and delayed ACKs add ~40 ms
        // to every answer, which would make the fake, not Switchboard, the bottleneck.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/p/", FakeUpstream::handleModels);
        server.createContext("/stats", exchange -> send(exchange, 200, ("{\"served\":" + SERVED.get() + "}").getBytes()));
        server.createContext("/healthz", exchange -> send(exchange, 200, "{\"status\":\"ok\"}".getBytes()));
        server.start();
        System.out.println("fake upstream on http://127.0.0.1:" + port);
    }

    private static void handleModels(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/"); // "", "p", provider, count, "models"
        if (parts.length != 5 || !parts[4].equals("models")) {
            send(exchange, 404, "{\"error\":{\"message\":\"no such path\"}}".getBytes());
            return;
        }
        String provider = parts[2];
        int count = Integer.parseInt(parts[3]);
        byte[] body = BODIES.computeIfAbsent(provider + "/" + count, key -> render(provider, count));
        SERVED.incrementAndGet();
        send(exchange, 200, body);
    }

    private static byte[] render(String provider, int count) {
        StringBuilder json = new StringBuilder(count * 110).append("{\"object\":\"list\",\"data\":[");
        for (int i = 1; i <= count; i++) {
            if (i > 1) json.append(',');
            json.append("{\"id\":\"").append(provider).append("-model-").append(String.format("%05d", i))
                    .append("\",\"object\":\"model\",\"created\":1735689600,\"owned_by\":\"").append(provider)
                    .append("\",\"context_length\":").append(8192 << (i % 5)).append('}');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
