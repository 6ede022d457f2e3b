package dev.switchboard.langchain4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible upstream over real HTTP: {@code POST …/chat/completions} (JSON, or Server-Sent Events when
 * the body asks to stream) and {@code POST …/embeddings}, under any path prefix. Each answer names the model the
 * request asked for ({@code "answer from small"}), and every call is recorded. A call to a model can be held until
 * released, to have a call in flight while something else happens.
 */
final class FakeOpenAi implements AutoCloseable {
    /** One request as it arrived. */
    record Call(String path, String model, String authorization, String body) {
        boolean streamed() {
            return body.contains("\"stream\":true");
        }
    }

    /** A held model: calls to it wait, once arrived, until released. */
    static final class Hold {
        private final String model;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String model) {
            this.model = model;
        }

        boolean awaitArrival() throws InterruptedException {
            return arrived.await(10, TimeUnit.SECONDS);
        }

        void release() {
            released.countDown();
        }
    }

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Hold hold;

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The OpenAI-compatible base URL, the part before {@code /chat/completions}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    Call lastCall() {
        return calls.getLast();
    }

    /** Calls to {@code model} from now on wait until {@link Hold#release()}. */
    Hold hold(String model) {
        Hold held = new Hold(model);
        hold = held;
        return held;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = compact(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Matcher matcher = MODEL.matcher(body);
            String model = matcher.find() ? matcher.group(1) : "";
            String path = exchange.getRequestURI().getPath();
            Call call = new Call(path, model, exchange.getRequestHeaders().getFirst("Authorization"), body);
            calls.add(call);
            Hold held = hold;
            if (held != null && held.model.equals(model)) {
                held.arrived.countDown();
                held.released.await(10, TimeUnit.SECONDS);
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "application/json", "{\"error\":{\"message\":\"POST only\"}}");
            } else if (path.endsWith("/chat/completions") && call.streamed()) {
                stream(exchange, model);
            } else if (path.endsWith("/chat/completions")) {
                send(exchange, 200, "application/json", """
                        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"%s",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"answer from %s"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}}""".formatted(model, model));
            } else if (path.endsWith("/embeddings")) {
                // a vector whose length tells the models apart: small has 2 dimensions, anything else 3
                String vector = model.equals("small") ? "[0.6,0.8]" : "[1.0,0.0,0.0]";
                send(exchange, 200, "application/json", """
                        {"object":"list","model":"%s","data":[{"object":"embedding","index":0,"embedding":%s}],
                         "usage":{"prompt_tokens":2,"total_tokens":2}}""".formatted(model, vector));
            } else {
                send(exchange, 404, "application/json", "{\"error\":{\"message\":\"no route " + path + "\"}}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JSON without the whitespace between tokens, so that tests can look for {@code "temperature":0.2}. */
    private static String compact(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) out.append(json.charAt(++i));
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The answer in three chunks, then the end: as OpenAI streams it. */
    private static void stream(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String chunk = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}";
        for (String data : List.of(chunk.formatted("{\"role\":\"assistant\",\"content\":\"answer \"}", "null"),
                chunk.formatted("{\"content\":\"from " + model + "\"}", "null"),
                chunk.formatted("{}", "\"stop\""), "[DONE]")) {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
