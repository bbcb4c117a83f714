package io.brickyard.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The two reads really overlap, and their failures come out as themselves, never half-done. */
class BothReadsTest {

  private static boolean await(CountDownLatch l) {
    try {
      return l.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void runsBothAtOnceAndKeepsArgumentOrder() {
    // each side waits for the other to have started: only possible if they overlap
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    BothReads.Both<Boolean, Boolean> both = BothReads.of(() -> {
      firstStarted.countDown();
      return await(secondStarted);
    }, () -> {
      secondStarted.countDown();
      return await(firstStarted);
    });
    assertThat(both.first()).isTrue();
    assertThat(both.second()).isTrue();
    assertThat(BothReads.of(() -> "permanent", () -> "runtime")).isEqualTo(new BothReads.Both<>("permanent", "runtime"));
  }

  @Test
  void aFailureIsRethrownAsItselfOnlyOnceBothAreDone() {
    assertThatThrownBy(() -> BothReads.of(() -> {
      throw new RefusedException("zone 'x' does not exist");
    }, () -> "fine")).isExactlyInstanceOf(RefusedException.class).hasMessage("zone 'x' does not exist");

    CountDownLatch secondFailing = new CountDownLatch(1);
    AtomicBoolean firstDone = new AtomicBoolean();
    assertThatThrownBy(() -> BothReads.of(() -> {
      await(secondFailing);
      firstDone.set(true);
      return "late";
    }, () -> {
      secondFailing.countDown();
      throw new IllegalStateException("busctl: bad reply");
    })).isExactlyInstanceOf(IllegalStateException.class);
    assertThat(firstDone).isTrue();

    // both fail: the first's failure wins, whatever finished first
    assertThatThrownBy(() -> BothReads.of(() -> {
      throw new RefusedException("first");
    }, () -> {
      throw new IllegalStateException("second");
    })).hasMessage("first");
  }
}
