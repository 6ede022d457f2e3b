package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.Secret;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The master key that encrypts provider credentials. On PostgreSQL several instances share the store, so
 * each generating its own key would leave them unable to read each other's credentials: there the key
 * must be given explicitly (environment or a key file named in the config).
 */
class MasterKeyTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String SECRET = "sk-shared-credential-42";
    @TempDir
    Path dir;
    String schema;
    FakeUpstream upstream;

    @BeforeEach
    void createSchema() throws Exception {
        schema = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("CREATE SCHEMA " + schema);
        }
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1"));
    }

    @AfterEach
    void dropSchema() throws Exception {
        upstream.close();
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private SwitchboardConfig postgres() {
        return TestConfigs.embedded(dir, List.of())
                .withStore(new StoreConfig(URL + "?currentSchema=" + schema, "postgres", Secret.NONE, 2));
    }

    private long tablesInSchema() throws Exception {
        try (var connection = DriverManager.getConnection(URL, "postgres", "");
             var rs = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String createProviderWithCredential(Switchboard switchboard) {
        try (TestHttp http = new TestHttp(switchboard.port())) {
            String body = "{\"id\":\"shared\",\"kind\":\"openai\",\"base_url\":\"" + upstream.uri("/v1")
                    + "\",\"api_key\":\"" + SECRET + "\"}";
            TestHttp.Response created = http.json("POST", "/api/v1/providers", body);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            return created.text();
        }
    }

    private void refreshSendsTheCredential(Switchboard switchboard) {
        try (TestHttp http = new TestHttp(switchboard.port())) {
            TestHttp.Response refreshed = http.post("/api/v1/providers/shared:refresh");
            assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
            assertThat(upstream.lastRequest("/v1/models").header("Authorization")).contains("Bearer " + SECRET);
        }
    }

    @Test
    void postgresRefusesToStartWithoutAnExplicitMasterKeyAndTouchesNothing() throws Exception {
        assertThatThrownBy(() -> new Switchboard(postgres(), Clock.systemUTC(), Map.of()))
                .hasMessageContaining("PostgreSQL")
                .hasMessageContaining("SWITCHBOARD_MASTER_KEY")
                .hasMessageContaining("[store] master_key_file")
                .hasMessageContaining("every instance");
        assertThat(tablesInSchema()).as("refused before migrating the store").isZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void postgresRefusesAKeyFileThatDoesNotExistInsteadOfCreatingOne() {
        Path missing = dir.resolve("keys/master.key");
        SwitchboardConfig config = postgres().withStore(postgres().store().withMasterKeyFile(missing));

        assertThatThrownBy(() -> new Switchboard(config, Clock.systemUTC(), Map.of()))
                .hasMessageContaining("[store] master_key_file " + missing + " does not exist")
                .hasMessageContaining("openssl rand -base64 32");
        assertThat(missing).doesNotExist();
    }

    @Test
    void instancesSharingTheKeyFileNamedInTheConfigReadEachOthersCredentials() throws Exception {
        Path keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, KEY + "\n");
        SwitchboardConfig config = postgres().withStore(postgres().store().withMasterKeyFile(keyFile));

        try (Switchboard a = new Switchboard(config, Clock.systemUTC(), Map.of()).serve();
             Switchboard b = new Switchboard(config, Clock.systemUTC(), Map.of()).serve()) {
            createProviderWithCredential(a);
            org.awaitility.Awaitility.await().until(() -> b.catalog().current().snapshot("shared").isPresent());
            refreshSendsTheCredential(b);
        }
    }

    @Test
    void theEnvironmentKeyIsEnoughOnPostgres() {
        try (Switchboard a = new Switchboard(postgres(), Clock.systemUTC(), Map.of(CredentialCipher.ENV, KEY)).serve()) {
            createProviderWithCredential(a);
            refreshSendsTheCredential(a);
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void onH2TheNamedKeyFileIsCreatedThereOnFirstStartAndReadAfterARestart() {
        Path keyFile = dir.resolve("secrets/switchboard.key");
        SwitchboardConfig embedded = TestConfigs.embedded(dir.resolve("db"), List.of());
        SwitchboardConfig config = embedded.withStore(embedded.store().withMasterKeyFile(keyFile));

        try (Switchboard first = new Switchboard(config, Clock.systemUTC(), Map.of()).serve()) {
            createProviderWithCredential(first);
        }
        assertThat(keyFile).isRegularFile();
        assertThat(dir.resolve("db/master.key")).doesNotExist();
        try (Switchboard second = new Switchboard(config, Clock.systemUTC(), Map.of()).serve()) {
            refreshSendsTheCredential(second);
        }
    }
}
