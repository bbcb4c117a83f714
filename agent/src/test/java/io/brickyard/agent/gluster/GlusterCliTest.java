package io.brickyard.agent.gluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The second layer against argument injection: the CLI's own options end before any word we pass. */
class GlusterCliTest {
  @Test
  void everyCommandEndsTheClisOwnOptionsBeforeTheWordsItIsGiven() {
    assertThat(GlusterCli.change(List.of("volume", "set", "vol1", "performance.cache-size", "--log-file=/tmp/x")).argv())
        .containsExactly("gluster", "--mode=script", "--timeout=120", "--", "volume", "set", "vol1",
            "performance.cache-size", "--log-file=/tmp/x");
    assertThat(GlusterCli.read("volume", "info", "all").argv())
        .containsExactly("gluster", "--mode=script", "--timeout=120", "--xml", "--", "volume", "info", "all");
  }
}
