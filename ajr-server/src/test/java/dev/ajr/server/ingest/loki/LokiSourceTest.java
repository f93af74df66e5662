package dev.ajr.server.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LokiSourceTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SELECTOR = "{appName=\"slurm-app-log\"}";
  private static final Map<String, String> TRAIN = Map.of("job", "train", "host", "gpu-01");
  private static final Map<String, String> OTHER = Map.of("job", "train", "host", "gpu-02");

  private final FakeLoki loki = new FakeLoki();
  private final MutableClock clock = new MutableClock(T0);
  private final Recorder sink = new Recorder();
  private final List<LokiSource> sources = new ArrayList<>();

  LokiSourceTest() throws IOException {}

  @AfterEach
  void stop() {
    sources.forEach(LokiSource::close);
    loki.close();
  }

  /** One delivered entry. */
  record Delivered(Map<String, String> labels, LokiEntry entry, Instant writtenAt) {}

  /** Records what it is given; can be told to fail once on a given line. */
  static final class Recorder implements LokiSource.EntrySink {
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    volatile String failOnce;

    @Override
    public void entry(Map<String, String> labels, LokiEntry entry, Instant writtenAt) {
      if (entry.line().equals(failOnce)) {
        failOnce = null;
        throw new IllegalStateException("store unavailable");
      }
      delivered.add(new Delivered(labels, entry, writtenAt));
    }

    List<String> lines() {
      return delivered.stream().map(d -> d.entry().line()).toList();
    }
  }

  private static long ns(Instant instant) {
    return LokiTime.toNanos(instant);
  }

  private LokiSettings.Builder settings() {
    return LokiSettings.builder(loki.url(), SELECTOR);
  }

  private LokiSource source(LokiSettings settings, LokiCursor start) {
    LokiSource source = new LokiSource(settings, start, clock, sink);
    sources.add(source);
    return source;
  }

  @Test
  void firstRoundAsksFromTheLookBackToNowMinusTheDelayWithTheQueryEncodedAndTheTenant() {
    LokiSource source =
        source(
            settings()
                .lineFilter("|~ \"error|NCCL\"")
                .limit(100)
                .tenant("team-a")
                .bearerToken("s3cret")
                .build(),
            null);
    loki.add(TRAIN, ns(T0.minusSeconds(600)), "NCCL error: unhandled system error");
    loki.add(TRAIN, ns(T0.minusSeconds(30)), "newer than the delay: not yet");

    LokiSource.PollResult result = source.pollOnce();

    assertThat(result).isEqualTo(new LokiSource.PollResult(1, 1, null));
    FakeLoki.Request request = loki.lastRequest();
    assertThat(request.query()).isEqualTo("{appName=\"slurm-app-log\"} |~ \"error|NCCL\"");
    assertThat(request.rawQuery())
        .startsWith("query=%7BappName%3D%22slurm-app-log%22%7D%20%7C%7E%20%22error%7CNCCL%22&");
    assertThat(request.start()).isEqualTo(ns(T0.minus(Duration.ofHours(1)).minusSeconds(60)));
    assertThat(request.end()).isEqualTo(ns(T0.minusSeconds(60)));
    assertThat(request.limit()).isEqualTo(100);
    assertThat(request.direction()).isEqualTo("forward");
    assertThat(request.headers())
        .containsEntry("x-scope-orgid", "team-a")
        .containsEntry("authorization", "Bearer s3cret");
    assertThat(sink.delivered)
        .containsExactly(
            new Delivered(
                TRAIN,
                new LokiEntry(
                    ns(T0.minusSeconds(600)), "NCCL error: unhandled system error", false),
                null));
    assertThat(source.cursor()).isEqualTo(new LokiCursor(ns(T0.minusSeconds(60)), Set.of()));
  }

  @Test
  void eachRoundStartsWhereThePreviousOneEnded() {
    LokiSource source = source(settings().queryDelay(Duration.ofSeconds(2)).build(), null);
    source.pollOnce();
    loki.add(TRAIN, ns(T0.minusSeconds(1)), "stamped after the first round's end");
    loki.add(TRAIN, ns(T0.plusSeconds(4)), "newer than the delay");

    clock.advance(Duration.ofSeconds(5));
    source.pollOnce();

    FakeLoki.Request second = loki.lastRequest();
    assertThat(second.start()).isEqualTo(ns(T0.minusSeconds(2)));
    assertThat(second.end()).isEqualTo(ns(T0.plusSeconds(3)));
    assertThat(sink.lines()).containsExactly("stamped after the first round's end");
  }

  @Test
  void aFullAnswerIsContinuedFromItsLastTimestampWithoutRepeatingOrSkipping() {
    LokiSource source = source(settings().limit(3).build(), null);
    loki.gzipAnswers();
    long base = ns(T0.minusSeconds(600));
    for (String line : List.of("10", "20", "30a", "30b", "40", "50", "60")) {
      loki.add(TRAIN, base + Long.parseLong(line.substring(0, 2)), "line " + line);
    }

    LokiSource.PollResult result = source.pollOnce();

    assertThat(sink.lines())
        .containsExactly(
            "line 10", "line 20", "line 30a", "line 30b", "line 40", "line 50", "line 60");
    assertThat(result).isEqualTo(new LokiSource.PollResult(7, 4, null));
    assertThat(loki.requests.stream().map(FakeLoki.Request::start))
        .containsExactly(
            ns(T0.minus(Duration.ofHours(1)).minusSeconds(60)), base + 30, base + 40, base + 60);
    assertThat(loki.requests)
        .allSatisfy(r -> assertThat(r.end()).isEqualTo(ns(T0.minusSeconds(60))));
    assertThat(loki.lastRequest().headers()).containsEntry("accept-encoding", "gzip");
  }

  @Test
  void theSameLineAtTheSameTimeInTwoStreamsIsTwoEntries() {
    LokiSource source = source(settings().limit(2).build(), null);
    long at = ns(T0.minusSeconds(300));
    loki.add(TRAIN, at, "Epoch 3 done");
    loki.add(OTHER, at, "Epoch 3 done");
    loki.add(TRAIN, at + 1, "Epoch 4 started");

    source.pollOnce();

    assertThat(sink.delivered.stream().map(d -> d.labels().get("host") + " " + d.entry().line()))
        .containsExactly("gpu-01 Epoch 3 done", "gpu-02 Epoch 3 done", "gpu-01 Epoch 4 started");
  }

  @Test
  void moreEntriesAtOneTimestampThanTheLimitDoNotStopReading() {
    LokiSource source = source(settings().limit(2).build(), null);
    long at = ns(T0.minusSeconds(300));
    for (int i = 0; i < 5; i++) {
      loki.add(TRAIN, at, "same stamp " + i);
    }
    loki.add(TRAIN, at + 1_000, "after");

    LokiSource.PollResult result = source.pollOnce();

    assertThat(result.succeeded()).isTrue();
    assertThat(sink.lines()).containsExactly("same stamp 0", "same stamp 1", "after");
  }

  @Test
  void anEntryTheSinkFailedOnIsOfferedAgainAndASavedCursorResumesWithoutRepeats() {
    LokiSource source = source(settings().build(), null);
    long base = ns(T0.minusSeconds(600));
    for (int i = 1; i <= 4; i++) {
      loki.add(TRAIN, base + i, "entry " + i);
    }
    sink.failOnce = "entry 3";

    LokiSource.PollResult failed = source.pollOnce();
    LokiCursor saved = source.cursor();

    assertThat(failed.delivered()).isEqualTo(2);
    assertThat(failed.problem())
        .isEqualTo(
            "the handler of Loki entries failed: java.lang.IllegalStateException: store"
                + " unavailable");
    assertThat(source.reachable()).isTrue();
    assertThat(saved)
        .isEqualTo(new LokiCursor(base + 2, Set.of(LokiCursor.fingerprint(TRAIN, "entry 2"))));

    Recorder other = new Recorder();
    LokiSource resumed = new LokiSource(settings().build(), saved, clock, other);
    sources.add(resumed);
    resumed.pollOnce();
    source.pollOnce();

    assertThat(other.lines()).containsExactly("entry 3", "entry 4");
    assertThat(sink.lines()).containsExactly("entry 1", "entry 2", "entry 3", "entry 4");
  }

  @Test
  void duringAnOutageTheCursorStaysOneWarningIsLoggedAndNothingIsLost() {
    LokiSource source =
        source(
            settings()
                .pollInterval(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(30))
                .build(),
            null);
    loki.add(TRAIN, ns(T0.minusSeconds(120)), "before the outage");
    source.pollOnce();
    LokiCursor before = source.cursor();
    loki.failWith(503, "Service Unavailable: no ingesters ready\n");
    loki.add(TRAIN, ns(T0.minusSeconds(59)), "during the outage 1");
    loki.add(TRAIN, ns(T0.minusSeconds(40)), "during the outage 2");

    List<Duration> delays = new ArrayList<>();
    List<LokiSource.PollResult> failures = new ArrayList<>();
    String log =
        capturingStandardError(() -> {
          for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(10));
            failures.add(source.pollOnce());
            delays.add(source.delayBeforeNextPoll());
          }
        });

    assertThat(failures)
        .allSatisfy(f -> {
          assertThat(f.delivered()).isZero();
          assertThat(f.problem())
              .isEqualTo(
                  "Loki at "
                      + loki.url()
                      + " answered HTTP 503: Service Unavailable: no ingesters ready");
        });
    assertThat(source.reachable()).isFalse();
    assertThat(source.cursor()).isEqualTo(before);
    assertThat(delays)
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
    assertThat(log.lines().filter(line -> line.contains("WARN"))).hasSize(1);
    assertThat(log).contains("HTTP 503").doesNotContain("Exception");

    loki.heal();
    LokiSource.PollResult back = source.pollOnce();

    assertThat(back.succeeded()).isTrue();
    assertThat(source.reachable()).isTrue();
    assertThat(source.delayBeforeNextPoll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(sink.lines())
        .containsExactly("before the outage", "during the outage 1", "during the outage 2");
    assertThat(loki.lastRequest().start()).isEqualTo(before.startNanos());
  }

  @Test
  void aLokiThatDoesNotListenIsAnOutageWithAClearMessage() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    LokiSource source = source(LokiSettings.builder(nowhere, SELECTOR).build(), null);

    LokiSource.PollResult result = source.pollOnce();

    assertThat(result.problem()).startsWith("cannot connect to Loki at " + nowhere);
    assertThat(source.reachable()).isFalse();
  }

  @Test
  void afterAnOutageLongerThanTheLookBackReadingResumesAtTheLookBack() {
    LokiSource source =
        source(
            settings().maxLookBack(Duration.ofMinutes(30)).build(),
            LokiCursor.startingAt(T0.minus(Duration.ofHours(5))));

    source.pollOnce();

    assertThat(loki.lastRequest().start())
        .isEqualTo(ns(T0.minus(Duration.ofMinutes(30)).minusSeconds(60)));
  }

  @Test
  void aMetricQueryAnswerIsAClearError() {
    LokiSource source = source(settings().build(), null);
    loki.answerWith(
        """
        {"status": "success", "data": {"resultType": "matrix", "result": [
          {"metric": {"level": "info"}, "values": [[1588889221, "137.95"]]}],
         "stats": {}}}
        """);

    LokiSource.PollResult result = source.pollOnce();

    assertThat(result.problem())
        .startsWith(
            "Loki's answer cannot be read: Loki answered with a matrix: the query is a"
                + " metric query, but ajr needs a log query");
  }

  @Test
  void aRejectedQueryReportsWhatLokiSaid() {
    LokiSource source = source(settings().build(), null);
    loki.failWith(400, "parse error at line 1, col 24: syntax error: unexpected IDENTIFIER");

    LokiSource.PollResult result = source.pollOnce();

    assertThat(result.problem())
        .isEqualTo(
            "Loki at "
                + loki.url()
                + " rejected the query {appName=\"slurm-app-log\"} (HTTP 400): parse error at line"
                + " 1, col 24: syntax error: unexpected IDENTIFIER");
  }

  @Test
  void whenTheLineWasWrittenIsReadFromItsTextAndBasicAuthIsSent() {
    LokiSource source =
        source(
            settings()
                .writtenAt(
                    "^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?)",
                    ZoneId.of("Europe/Berlin"))
                .basicAuth("ajr", "pa:ss")
                .build(),
            null);
    loki.add(TRAIN, ns(T0.minusSeconds(300)), "2026-03-01 10:54:59.250 rank0: step 10");
    loki.add(TRAIN, ns(T0.minusSeconds(299)), "no timestamp here");

    source.pollOnce();

    assertThat(sink.delivered.stream().map(Delivered::writtenAt))
        .containsExactly(Instant.parse("2026-03-01T09:54:59.250Z"), null);
    assertThat(loki.lastRequest().headers())
        .containsEntry(
            "authorization",
            "Basic "
                + Base64.getEncoder().encodeToString("ajr:pa:ss".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aStartedSourcePollsOnItsOwnThreadUntilClosed() throws InterruptedException {
    LokiSource source =
        new LokiSource(settings().pollInterval(Duration.ofMillis(20)).build(), null, clock, sink);
    loki.add(TRAIN, ns(T0.minusSeconds(300)), "first");
    source.start();
    awaitLines(1);

    loki.add(TRAIN, ns(T0.minusSeconds(30)), "second");
    clock.advance(Duration.ofSeconds(60));
    awaitLines(2);
    source.close();

    assertThat(sink.lines()).containsExactly("first", "second");
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("ajr-loki-source") && t.isAlive());
  }

  @Test
  void theCursorBeforeTheFirstRoundIsTheLookBack() {
    LokiSource source = source(settings().build(), null);

    assertThat(source.cursor().start()).isEqualTo(T0.minus(Duration.ofHours(1)).minusSeconds(60));
    assertThat(loki.requests).isEmpty();
  }

  private void awaitLines(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sink.delivered.size() < count) {
      assertThat(System.nanoTime()).as("waiting for %d lines", count).isLessThan(deadline);
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static String capturingStandardError(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
