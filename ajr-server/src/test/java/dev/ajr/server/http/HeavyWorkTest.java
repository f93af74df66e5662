package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeavyWorkTest {

  @Test
  void workRunsOnAPlatformThreadAndItsResultAndErrorsComeBack() {
    try (HeavyWork heavy = new HeavyWork(1, 1)) {
      Thread worker = heavy.run("alice", new Headers(), Thread::currentThread);
      assertThat(worker.isVirtual()).isFalse();
      assertThat(worker.getName()).startsWith("ajr-heavy-");
      assertThatThrownBy(() ->
              heavy.run(
                  "alice",
                  new Headers(),
                  () -> {
                    throw new ApiException(400, "bad_request", "no text");
                  }))
          .isInstanceOf(ApiException.class)
          .hasMessage("no text");
    }
  }

  @Test
  void aCallerHasOneAtATimeAndAFullPoolSaysTryAgain() throws Exception {
    try (HeavyWork heavy = new HeavyWork(1, 1);
        ExecutorService callers = Executors.newCachedThreadPool()) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> first =
          CompletableFuture.supplyAsync(() ->
              heavy.run(
                  "alice",
                  new Headers(),
                  () -> {
                    started.countDown();
                    release.await();
                    return "done";
                  }));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      Headers answer = new Headers();
      assertThatThrownBy(() -> heavy.run("alice", answer, () -> "second"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(429));
      assertThat(answer.getFirst("Retry-After")).isEqualTo("1");

      // bob waits in the queue (one place); carol finds it full
      CompletableFuture<String> queued =
          CompletableFuture.supplyAsync(
              () -> heavy.run("bob", new Headers(), () -> "bob's"), callers);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (heavy.waiting() == 0 && Instant.now().isBefore(deadline)) {
        Thread.onSpinWait();
      }
      assertThat(heavy.waiting()).isEqualTo(1);
      assertThatThrownBy(() -> heavy.run("carol", new Headers(), () -> "carol's"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(429));

      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("bob's");
      assertThat(heavy.run("alice", new Headers(), () -> "again")).isEqualTo("again");
    }
  }
}
