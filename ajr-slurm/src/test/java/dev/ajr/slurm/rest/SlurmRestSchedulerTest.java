package dev.ajr.slurm.rest;

import static dev.ajr.slurm.rest.FakeSlurmrestd.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.slurm.rest.FakeSlurmrestd.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurmrestd adapter against a fake slurmrestd on a real socket, answering with what the real
 * slurmrestd of Slurm 22.05.8 answered (src/test/resources/slurmrestd/README.md).
 */
class SlurmRestSchedulerTest {

  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.first.token";
  private static final Instant T0 = Instant.parse("2026-12-03T20:47:00Z");

  @TempDir Path dir;

  private final FakeSlurmrestd slurmrestd = new FakeSlurmrestd();
  private final MovableClock clock = new MovableClock(T0);
  private final RecordingCommands commands = new RecordingCommands();
  private Path tokenFile;
  private SlurmRestScheduler scheduler;

  SlurmRestSchedulerTest() throws IOException {}

  @BeforeEach
  void start() throws IOException {
    tokenFile = Files.writeString(dir.resolve("ajr.token"), TOKEN + "\n");
    scheduler = scheduler(slurmrestd.url(), new HttpRestTransport(Duration.ofSeconds(5)));
  }

  private SlurmRestScheduler scheduler(URI url, RestTransport transport) throws IOException {
    return new SlurmRestScheduler(
        new SlurmRestSettings(url, "ajr", SlurmToken.fromFile(tokenFile)),
        transport,
        commands,
        clock);
  }

  @AfterEach
  void stop() {
    slurmrestd.close();
  }

  @Test
  void listsEveryJobWithTheUserAndTheTokenInPlainHttp11() throws Exception {
    slurmrestd.answer = request -> new Reply(200, recorded("jobs.json"));

    List<SchedulerJob> jobs = scheduler.jobs();

    assertThat(jobs).hasSize(20);
    assertThat(jobs)
        .filteredOn(j -> j.jobId() == 41)
        .singleElement()
        .satisfies(j -> {
          assertThat(j.name()).isEqualTo("restrec-pattern");
          assertThat(j.state()).isEqualTo("RUNNING");
          assertThat(j.nodes()).containsExactly("node2");
          assertThat(j.comment()).isEqualTo("{\"APS\": {\"max_retries\": 1}}");
        });
    assertThat(jobs)
        .filteredOn(j -> j.jobId() == 45)
        .singleElement()
        .satisfies(j -> assertThat(j.held()).isTrue());
    assertThat(slurmrestd.requests)
        .containsExactly(
            new FakeSlurmrestd.Seen("GET", "/slurm/v0.0.38/jobs", "ajr", TOKEN, null)); // no h2c
  }

  @Test
  void aNotModifiedAnswerKeepsThePreviousListingAndAskesSinceTheLastRequest() throws Exception {
    slurmrestd.answer = request -> new Reply(200, recorded("jobs.json"));
    List<SchedulerJob> first = scheduler.jobs();
    slurmrestd.answer = request -> new Reply(304, new byte[0]);
    clock.move(Duration.ofSeconds(1));

    List<SchedulerJob> second = scheduler.jobs();
    clock.move(Duration.ofSeconds(1));
    List<SchedulerJob> third = scheduler.jobs();

    assertThat(second).isSameAs(first);
    assertThat(third).isSameAs(first);
    long t0 = T0.getEpochSecond() - 10;
    assertThat(slurmrestd.requests)
        .extracting(FakeSlurmrestd.Seen::pathAndQuery)
        .containsExactly(
            "/slurm/v0.0.38/jobs",
            "/slurm/v0.0.38/jobs?update_time=" + t0,
            "/slurm/v0.0.38/jobs?update_time=" + (t0 + 1));
  }

  @Test
  void aChangedQueueReplacesTheListingAndAFullOneComesAtLeastEveryMinute() throws Exception {
    slurmrestd.answer = request -> new Reply(200, recorded("jobs.json"));
    scheduler.jobs();
    slurmrestd.answer =
        request -> new Reply(200, "{\"meta\": {}, \"errors\": [], \"jobs\": []}".getBytes());
    clock.move(Duration.ofSeconds(1));

    assertThat(scheduler.jobs()).isEmpty();
    clock.move(Duration.ofSeconds(61));
    assertThat(scheduler.jobs()).isEmpty();

    assertThat(slurmrestd.requests.get(1).pathAndQuery()).contains("update_time=");
    assertThat(slurmrestd.requests.get(2).pathAndQuery()).isEqualTo("/slurm/v0.0.38/jobs");
  }

  @Test
  void looksAtOneJobAlone() throws Exception {
    slurmrestd.answer = request -> new Reply(200, recorded("job-41.json"));

    Optional<SchedulerJob> job = scheduler.job(41);

    assertThat(job).map(SchedulerJob::name).contains("restrec-pattern");
    assertThat(job)
        .map(SchedulerJob::stdOut)
        .contains("/tmp/restrec/work/out-restrec-pattern-41.log");
    assertThat(slurmrestd.requests)
        .extracting(FakeSlurmrestd.Seen::pathAndQuery)
        .containsExactly("/slurm/v0.0.38/job/41");
  }

  @Test
  void aJobSlurmNoLongerKnowsIsEmpty() throws Exception {
    slurmrestd.answer = request -> new Reply(500, recorded("job-unknown.json"));

    assertThat(scheduler.job(999999)).isEmpty();
  }

  @Test
  void aRefusedTokenIsReadAgainFromItsFileAndTheRequestRepeated() throws Exception {
    String renewed = "eyJhbGciOiJIUzI1NiJ9.renewed.token";
    slurmrestd.answer =
        request ->
            renewed.equals(request.token())
                ? new Reply(200, recorded("jobs.json"))
                : new Reply(500, recorded("jobs-refused-token.json"));
    Files.writeString(tokenFile, "SLURM_JWT=" + renewed + "\n"); // cron renewed it

    assertThat(scheduler.jobs()).hasSize(20);
    assertThat(slurmrestd.requests)
        .extracting(FakeSlurmrestd.Seen::token)
        .containsExactly(TOKEN, renewed);
  }

  @Test
  void aMissingTokenIsRefusedAtOnceAndTheFileReadAgain() throws Exception {
    String renewed = "eyJhbGciOiJIUzI1NiJ9.renewed.token";
    slurmrestd.answer =
        request ->
            renewed.equals(request.token())
                ? new Reply(200, recorded("jobs.json"))
                : new Reply(401, recorded("no-token.txt"));
    Files.writeString(tokenFile, renewed);

    assertThat(scheduler.jobs()).hasSize(20);
    assertThat(slurmrestd.requests).hasSize(2);
  }

  @Test
  void aTokenStillRefusedSaysWhoseAndWhereNeverTheToken() {
    slurmrestd.answer = request -> new Reply(500, recorded("jobs-refused-token.json"));

    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("answered HTTP 500: Unspecified error: Failed while looking for jobs")
        .hasMessageContaining("refused the token of Slurm user ajr in the token file " + tokenFile)
        .hasMessageNotContaining(TOKEN);
    assertThat(slurmrestd.requests).hasSize(1); // the file held the same token

    slurmrestd.answer = request -> new Reply(401, recorded("no-token.txt"));
    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("refused the request of Slurm user ajr (HTTP 401: Authentication")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void aTokenFileGoneIsNamed() throws Exception {
    slurmrestd.answer = request -> new Reply(401, recorded("no-token.txt"));
    Files.delete(tokenFile);

    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("the token file " + tokenFile + " cannot be read (no such file)");
  }

  @Test
  void aServerErrorIsTransient() {
    slurmrestd.answer = request -> Reply.json(503, "Service Unavailable");

    assertThatThrownBy(() -> scheduler.job(41))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("could not look at job 41: slurmrestd at " + slurmrestd.url())
        .hasMessageContaining("answered HTTP 503: Service Unavailable");
  }

  @Test
  void noAnswerInTimeIsTransient() throws Exception {
    slurmrestd.answer = request -> slurmrestd.never();
    SlurmRestScheduler impatient =
        scheduler(slurmrestd.url(), new HttpRestTransport(Duration.ofMillis(300)));

    assertThatThrownBy(impatient::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("did not answer in time");
  }

  @Test
  void slurmrestdNotListeningIsTransientAndSaysWhere() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port);
    SlurmRestScheduler unreachable =
        scheduler(nowhere, new HttpRestTransport(Duration.ofSeconds(5)));

    assertThatThrownBy(unreachable::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("cannot connect to slurmrestd at " + nowhere)
        .hasMessageContaining("is slurmrestd running there?");
  }

  @Test
  void anAnswerThatIsNotJsonIsTransientAndQuoted() {
    slurmrestd.answer =
        request -> new Reply(200, "<html><body>proxy error</body></html>".getBytes());

    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("cannot be read: it is not JSON: <html><body>proxy error");
  }

  @Test
  void anAnswerLongerThanTheCapIsNotRead() throws Exception {
    slurmrestd.answer = request -> new Reply(200, recorded("jobs.json"));
    SlurmRestScheduler capped =
        scheduler(slurmrestd.url(), new HttpRestTransport(Duration.ofSeconds(5), 10_000));

    assertThatThrownBy(capped::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("was not read: the answer is longer than 10000 bytes");
  }

  @Test
  void everyWriteAndTheAccountingGoToTheCommands() throws Exception {
    scheduler.cancel(7);
    scheduler.requeueHold(7);
    scheduler.release(7);
    scheduler.startAfter(7, Duration.ZERO);
    scheduler.excludeNodes(7, List.of("node1"));
    scheduler.fromAccounting(7);

    assertThat(commands.calls)
        .containsExactly(
            "cancel 7",
            "requeueHold 7",
            "release 7",
            "startAfter 7 PT0S",
            "excludeNodes 7 [node1]",
            "fromAccounting 7");
    assertThat(slurmrestd.requests).isEmpty();
  }

  /** The command-line adapter's part, recorded. */
  static final class RecordingCommands implements Scheduler {
    final List<String> calls = new ArrayList<>();

    @Override
    public List<SchedulerJob> jobs() {
      throw new AssertionError("the REST adapter lists jobs itself");
    }

    @Override
    public Optional<SchedulerJob> job(long jobId) {
      throw new AssertionError("the REST adapter looks at jobs itself");
    }

    @Override
    public Optional<SchedulerJob> fromAccounting(long jobId) {
      calls.add("fromAccounting " + jobId);
      return Optional.empty();
    }

    @Override
    public void requeueHold(long jobId) {
      calls.add("requeueHold " + jobId);
    }

    @Override
    public void release(long jobId) {
      calls.add("release " + jobId);
    }

    @Override
    public void startAfter(long jobId, Duration delay) {
      calls.add("startAfter " + jobId + " " + delay);
    }

    @Override
    public void cancel(long jobId) {
      calls.add("cancel " + jobId);
    }

    @Override
    public void excludeNodes(long jobId, List<String> nodes) {
      calls.add("excludeNodes " + jobId + " " + nodes);
    }
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void move(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
