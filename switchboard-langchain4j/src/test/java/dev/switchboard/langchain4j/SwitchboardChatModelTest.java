package dev.switchboard.langchain4j;

import dev.switchboard.client.LiveModel;
import dev.switchboard.client.ModelConfig;
import dev.switchboard.client.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The chat model against a real Switchboard server and a fake provider over real HTTP, in direct mode (the
 * application's endpoint and key for each provider): each call goes where the alias's current version says.
 */
class SwitchboardChatModelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    private FakeOpenAi upstream;
    private RealSwitchboard server;
    private Switchboard sb;
    private SwitchboardModels models;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeOpenAi();
        server = RealSwitchboard.start(dir);
        // fast reconnects, for the restart test
        sb = Switchboard.builder(server.uri()).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
        models = SwitchboardModels.builder(sb)
                .directly(provider -> provider.equals("local") ? ProviderEndpoint.of(upstream.baseUrl(), "sk-local") : null)
                .build();
    }

    @AfterEach
    void stop() {
        sb.close();
        server.close();
        upstream.close();
    }

    @Test
    void aCallGoesToTheConfiguredModelWithItsParamsAndTheApplicationsKey() {
        server.put("planner", "local", "small", "{\"temperature\":0.2,\"max_tokens\":50,\"stop\":\"END\",\"top_k\":7}");
        try (SwitchboardChatModel planner = models.chatModel("planner")) {
            // no awaitReady: the first call waits for the alias's first read
            assertThat(planner.chat("hello")).isEqualTo("answer from small");

            FakeOpenAi.Call call = upstream.lastCall();
            assertThat(call.path()).isEqualTo("/v1/chat/completions");
            assertThat(call.model()).isEqualTo("small");
            assertThat(call.authorization()).isEqualTo("Bearer sk-local");
            assertThat(call.body()).contains("\"temperature\":0.2", "\"max_tokens\":50", "\"stop\":[\"END\"]",
                    "\"top_k\":7"); // a param LangChain4j has no name for is sent as it is
            assertThat(planner.currentConfig()).extracting(ModelConfig::alias, ModelConfig::model, ModelConfig::version)
                    .containsExactly("planner", "small", 1L);
        }
    }

    @Test
    void everyCallOfALoopSucceedsAcrossALiveSwitchAndCallsAfterTheChangeGoToTheNewModel() throws Exception {
        server.put("planner", "local", "small", "{}");
        try (LiveModel live = sb.model("planner")) {
            SwitchboardChatModel planner = models.chatModel(live);
            assertThat(planner.chat("warm up")).isEqualTo("answer from small");
            // listeners run one at a time, in order, on the live model's thread: the adapter's (registered first) has
            // swapped its model when this one hears of version 2
            AtomicLong switchedAtCall = new AtomicLong(-1);
            AtomicLong callsStarted = new AtomicLong();
            live.onChange(config -> {
                if (config.version() == 2) switchedAtCall.set(callsStarted.get());
            });

            List<String> answers = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
                // bounded: at most 2,000 calls, and it stops once the test has seen enough
                for (int i = 0; i < 2_000 && !stop.get(); i++) {
                    callsStarted.incrementAndGet();
                    try {
                        answers.add(planner.chat("call " + i));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
            await().atMost(WAIT).until(() -> answers.size() >= 20);
            server.put("planner", "local", "large", "{}");
            await().atMost(WAIT).until(() -> switchedAtCall.get() >= 0);
            long afterSwitch = callsStarted.get();
            await().atMost(WAIT).until(() -> callsStarted.get() >= afterSwitch + 20);
            stop.set(true);
            loop.get(30, TimeUnit.SECONDS);

            assertThat(failures).isEmpty();
            assertThat(answers).hasSize((int) callsStarted.get()).contains("answer from small", "answer from large");
            // small until the switch, large from the first call started after the change was heard, never back
            int firstLarge = answers.indexOf("answer from large");
            assertThat(answers.subList(0, firstLarge)).containsOnly("answer from small");
            assertThat(answers.subList(firstLarge, answers.size())).containsOnly("answer from large");
            assertThat(firstLarge).isLessThanOrEqualTo((int) switchedAtCall.get());
            assertThat(planner.currentConfig().version()).isEqualTo(2);
        }
    }

    @Test
    void aCallInFlightFinishesOnTheModelItStartedWithWhileTheNextCallGoesToTheNewOne() throws Exception {
        server.put("planner", "local", "small", "{}");
        try (SwitchboardChatModel planner = models.chatModel("planner")) {
            assertThat(planner.currentConfig().model()).isEqualTo("small");
            FakeOpenAi.Hold held = upstream.hold("small");
            CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> planner.chat("slow"));
            assertThat(held.awaitArrival()).isTrue();

            server.put("planner", "local", "large", "{}");
            await().atMost(WAIT).until(() -> planner.currentConfig().model().equals("large"));
            assertThat(planner.chat("next")).isEqualTo("answer from large");
            assertThat(inFlight).isNotDone();

            held.release();
            assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("answer from small");
        }
    }

    @Test
    void aDeletedAliasFailsEveryCallWithAnErrorNamingItUntilItIsCreatedAgain() {
        server.put("planner", "local", "small", "{}");
        try (SwitchboardChatModel planner = models.chatModel("planner")) {
            assertThat(planner.chat("hello")).isEqualTo("answer from small");
            int callsBefore = upstream.calls().size();

            server.delete("planner");
            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> planner.chat("hello"))
                    .isInstanceOf(AliasNotConfiguredException.class)
                    .hasMessage("model configuration \"planner\" is not configured: it was deleted on Switchboard (its "
                            + "last version was 1, local/small); calls fail until it is created again"));
            assertThatThrownBy(planner::currentConfig).isInstanceOf(AliasNotConfiguredException.class)
                    .extracting(e -> ((AliasNotConfiguredException) e).alias()).isEqualTo("planner");
            assertThat(upstream.calls()).hasSize(callsBefore); // nothing reached the provider

            server.put("planner", "local", "large", "{}");
            await().atMost(WAIT).untilAsserted(() -> assertThat(planner.chat("hello")).isEqualTo("answer from large"));
        }
    }

    @Test
    void anAliasThatWasNeverCreatedFailsWithNotConfigured() {
        try (SwitchboardChatModel nothing = models.chatModel("nothing")) {
            assertThatThrownBy(() -> nothing.chat("hello"))
                    .isInstanceOf(AliasNotConfiguredException.class)
                    .hasMessage("model configuration \"nothing\" is not configured: Switchboard has no such alias (it "
                            + "was never created, or was deleted before this model started following it); calls fail "
                            + "until it is created");
            assertThat(upstream.calls()).isEmpty();
        }
    }

    @Test
    void itKeepsCallingTheLastConfigurationWhileSwitchboardIsDownAndFollowsAgainAfterARestart() throws Exception {
        server.put("planner", "local", "small", "{}");
        try (LiveModel live = sb.model("planner"); SwitchboardChatModel planner = models.chatModel(live)) {
            assertThat(planner.chat("hello")).isEqualTo("answer from small");

            server.stop();
            await().atMost(WAIT).until(() -> live.lastError().isPresent()); // the feed is gone and retrying
            assertThat(planner.chat("while down")).isEqualTo("answer from small");
            assertThat(planner.currentConfig().model()).isEqualTo("small");

            server.restart();
            server.put("planner", "local", "large", "{}");
            await().atMost(WAIT).until(() -> planner.currentConfig().model().equals("large"));
            assertThat(planner.chat("after restart")).isEqualTo("answer from large");
        }
    }

    @Test
    void aProviderTheApplicationHasNoEndpointForFailsWithAnErrorNamingItAndTheNextUsableVersionWorks() {
        server.put("planner", "elsewhere", "big", "{}");
        try (SwitchboardChatModel planner = models.chatModel("planner")) {
            assertThatThrownBy(() -> planner.chat("hello"))
                    .isInstanceOf(AliasUnusableException.class)
                    .hasMessage("model configuration \"planner\" version 1 (elsewhere/big) cannot be used: the "
                            + "application has no endpoint for provider \"elsewhere\" (the function given to directly(…) "
                            + "returned null)");
            assertThat(upstream.calls()).isEmpty();

            server.put("planner", "local", "small", "{}");
            await().atMost(WAIT).untilAsserted(() -> assertThat(planner.chat("hello")).isEqualTo("answer from small"));
        }
    }

    @Test
    void aParamOfTheWrongTypeFailsWithAnErrorNamingIt() {
        server.put("planner", "local", "small", "{\"temperature\":\"hot\"}");
        try (SwitchboardChatModel planner = models.chatModel("planner")) {
            assertThatThrownBy(() -> planner.chat("hello"))
                    .isInstanceOf(AliasUnusableException.class)
                    .hasMessage("model configuration \"planner\" version 1 (local/small) cannot be used: param "
                            + "\"temperature\" must be a number, got \"hot\"");
        }
    }

    @Test
    void aCallWhenSwitchboardCannotBeReadFailsAsNotReadyWithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Switchboard nowhere = Switchboard.connect(URI.create("http://127.0.0.1:" + closedPort), null);
             SwitchboardChatModel planner = SwitchboardModels.builder(nowhere)
                     .directly(provider -> ProviderEndpoint.of(upstream.baseUrl(), null))
                     .readyTimeout(Duration.ofSeconds(5)).build().chatModel("planner")) {
            assertThatThrownBy(() -> planner.chat("hello"))
                    .isInstanceOf(AliasNotReadyException.class)
                    .hasMessageStartingWith("model configuration \"planner\" could not be read from Switchboard: "
                            + "cannot reach Switchboard at http://127.0.0.1:" + closedPort)
                    .hasMessageEndingWith("; retrying in the background");
        }
    }

    @Test
    void aClosedModelRefusesCalls() {
        server.put("planner", "local", "small", "{}");
        SwitchboardChatModel planner = models.chatModel("planner");
        assertThat(planner.chat("hello")).isEqualTo("answer from small");
        planner.close();
        assertThatThrownBy(() -> planner.chat("hello")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the model for \"planner\" is closed");
    }
}
