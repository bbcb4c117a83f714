package io.brickyard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which way the CLI talks to the coordinator: the local admin socket or HOST:PORT with mTLS. */
class CliConfigTest {
  @TempDir Path dir;
  private Path sock;
  private Map<String, String> env;

  @BeforeEach
  void config() throws Exception {
    sock = Files.createFile(dir.resolve("coordinator.sock"));
    Path cfg = Files.writeString(dir.resolve("config.properties"),
        "socket=" + sock + "\ncoordinator=10.0.0.5:7444\ntlsDir=" + dir.resolve("tls") + "\n");
    env = Map.of("BRICKYARD_CONFIG", cfg.toString());
  }

  @Test
  void usesTheLocalSocketWhenItExistsAndNoCertificateIsAskedFor() {
    CliConfig c = CliConfig.resolve(null, null, null, env);
    assertThat(c.local()).isTrue();
    assertThat(c.socket()).isEqualTo(sock);
    assertThat(c.target()).isEqualTo("unix:" + sock);
  }

  @Test
  void fallsBackToMutualTlsWhenTheSocketIsMissing() throws Exception {
    Files.delete(sock);
    CliConfig c = CliConfig.resolve(null, null, null, env);
    assertThat(c.local()).isFalse();
    assertThat(c.target()).isEqualTo("10.0.0.5:7444");
    assertThat(c.tlsDir()).isEqualTo(dir.resolve("tls"));
  }

  @Test
  void aTlsFlagOrANamedHostMeansMutualTls() {
    assertThat(CliConfig.resolve(null, dir.resolve("other"), null, env).target()).isEqualTo("10.0.0.5:7444");
    assertThat(CliConfig.resolve(null, null, "alice", env).local()).isFalse();
    assertThat(CliConfig.resolve("gluster1:7444", null, null, env).target()).isEqualTo("gluster1:7444");
    Map<String, String> viaEnv = Map.of("BRICKYARD_CONFIG", env.get("BRICKYARD_CONFIG"), "BRICKYARD_COORDINATOR", "h:1");
    assertThat(CliConfig.resolve(null, null, null, viaEnv).target()).isEqualTo("h:1");
  }

  @Test
  void unixPrefixNamesASocketFromFlagOrConfig() throws Exception {
    assertThat(CliConfig.resolve("unix:/x/y.sock", null, null, env).socket()).isEqualTo(Path.of("/x/y.sock"));
    Path cfg = Files.writeString(dir.resolve("c2.properties"), "coordinator=unix:/run/z.sock\n");
    CliConfig c = CliConfig.resolve(null, null, null, Map.of("BRICKYARD_CONFIG", cfg.toString()));
    assertThat(c.target()).isEqualTo("unix:/run/z.sock");
  }

  @Test
  void aListOfCoordinatorsIsTriedInOrder() throws Exception {
    assertThat(CliConfig.resolve("a:7444, b:7445,", null, null, env).coordinators()).containsExactly("a:7444", "b:7445");
    Path cfg = Files.writeString(dir.resolve("c3.properties"), "coordinator=127.0.0.1:7444,10.77.0.2:7444\n");
    CliConfig c = CliConfig.resolve(null, dir.resolve("tls"), null, Map.of("BRICKYARD_CONFIG", cfg.toString()));
    assertThat(c.coordinators()).containsExactly("127.0.0.1:7444", "10.77.0.2:7444");
    assertThat(CliConfig.resolve("unix:/x/y.sock", null, null, env).coordinators()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CliConfig.resolve(",", null, null, env).coordinators())
        .hasMessageContaining("no address");
  }
}
