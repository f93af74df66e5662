package dev.ajr.slurm.rest;

import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@link Scheduler} port reading Slurm through slurmrestd's {@code openapi/v0.0.38} (Slurm
 * 22.05), authenticated by {@code rest_auth/jwt}: every request carries {@code X-SLURM-USER-NAME}
 * and {@code X-SLURM-USER-TOKEN}. A reading path: the writes are done by the command-line adapter
 * given as {@code commands}.
 *
 * <ul>
 *   <li>{@link #jobs}: {@code GET /slurm/v0.0.38/jobs}: the job objects of {@code squeue --json}
 *       (on the dev cluster the two printed the same bytes for the same queue, 3.7 KB a job). From
 *       the second listing on ajr adds {@code update_time=T}, and when no job changed slurmctld
 *       answers "no change in data", which slurmrestd 22.05 sends as {@code 304 Not Modified}
 *       without a body (not as an empty list): the previous listing is then returned as it is.
 *       slurmctld answers so when T - 1 is at or after its last change to any job (a submission, a
 *       start, an end, a purged record, a changed pending reason), in whole seconds of its own
 *       clock (on the dev cluster, some 6 to 10 s after the last change, T = now - 5 s got 304 and
 *       T = now - 10 s the whole listing). ajr's T is the second at which its previous request
 *       started, less {@link #CLOCK_ALLOWANCE} for a difference between ajr's clock and
 *       slurmctld's, and a full listing is asked for at least every {@link #FULL_LISTING_EVERY}
 *       whatever the answers, so a larger difference delays what ajr sees by at most that. An empty
 *       {@code jobs} array with status 200 is an empty queue.
 *   <li>{@link #job}: {@code GET /slurm/v0.0.38/job/{id}}, which asks slurmctld for that job alone
 *       (an array's tasks are each a job of their own id). A job slurmctld does not know is
 *       answered with status 500 and the error number 2017 ("Invalid job id specified"): empty.
 *   <li>Output paths: the v0.0.38 job objects carry them as submitted (with {@code %} patterns,
 *       empty for the default, as {@code squeue --json} of 22.05); they are resolved as {@code
 *       scontrol show job} resolves them ({@link OutputPaths}), without a request.
 *   <li>Every write ({@link #requeueHold}, {@link #release}, {@link #startAfter}, {@link
 *       #excludeNodes}, {@link #cancel}) and {@link #fromAccounting} go to {@code commands}, so
 *       that ajr acts on Slurm as one identity, the Unix user it runs as (a Slurm operator), and
 *       the token's user only reads (any user sees every job unless {@code PrivateData} hides
 *       them). v0.0.38 has no requeue and no release anyway: its job update ({@code POST
 *       /slurm/v0.0.38/job/{id}}) takes {@code sbatch}'s options, where a hold is a priority of 0
 *       and nothing undoes it, and has no excluded nodes. Its {@code DELETE
 *       /slurm/v0.0.38/job/{id}} would cancel, but as the token's user, who then must be an
 *       operator (a plain user's token is refused another user's job with error 2002). The
 *       accounting is read with {@code sacct -D} rather than {@code GET /slurmdb/v0.0.38/job/{id}}:
 *       both list every run of a requeued job, but the dbv0.0.38 plugin of 22.05.8 answers exit
 *       code 0 ({@code SUCCESS}) for a job that failed with exit code 1 (a FAILED job of the dev
 *       cluster, {@code 1:0} in {@code sacct}), and the exit code is what ajr's policy reads.
 * </ul>
 *
 * <p>Failures: slurmrestd not reachable, no whole answer in time, an answer with status 5xx, an
 * answer that is not JSON or is too long (the transport's cap) are transient; slurmctld's refusal
 * (an error number from 2000 to 2999, Slurm's {@code ESLURM_*}) and any 4xx are not. A token
 * slurmctld refuses is not told apart by slurmrestd 22.05: it answers 500 with Slurm's unspecified
 * error (-1), as when slurmctld cannot be reached (slurmrestd passes the token on, and slurmctld
 * logs "authentication error"); a missing token is its own 401. Either reads the token file again
 * and, when it holds a new token, repeats the request once; otherwise the 500 is a transient
 * failure that says both possible causes, and the 401 or 403 one that is not transient. Messages
 * name the user and where the token comes from, never the token. Thread-safe: listings are taken
 * one at a time.
 */
public final class SlurmRestScheduler implements Scheduler {

  /** The API version, and so the Slurm release, this adapter speaks. */
  public static final String API = "/slurm/v0.0.38";

  /** Taken off the time of the previous request in {@code update_time}. */
  static final Duration CLOCK_ALLOWANCE = Duration.ofSeconds(10);

  /** A full listing at least this often, whatever the incremental answers said. */
  static final Duration FULL_LISTING_EVERY = Duration.ofMinutes(1);

  /** The names of the requests, for the meters. */
  public static final List<String> REQUESTS = List.of("rest:jobs", "rest:job");

  private static final int ESLURM_INVALID_JOB_ID = 2017;

  private final SlurmRestSettings settings;
  private final RestTransport transport;
  private final Scheduler commands;
  private final Clock clock;

  private final Object listing = new Object();
  private List<SchedulerJob> previous; // guarded by listing
  private long since; // guarded by listing
  private Instant lastFull; // guarded by listing

  /**
   * @param transport the HTTP requests, each timed by the server
   * @param commands the command-line adapter, for every write and the accounting
   */
  public SlurmRestScheduler(
      SlurmRestSettings settings, RestTransport transport, Scheduler commands) {
    this(settings, transport, commands, Clock.systemUTC());
  }

  SlurmRestScheduler(
      SlurmRestSettings settings, RestTransport transport, Scheduler commands, Clock clock) {
    this.settings = settings;
    this.transport = transport;
    this.commands = commands;
    this.clock = clock;
  }

  @Override
  public List<SchedulerJob> jobs() throws SchedulerException {
    synchronized (listing) {
      Instant now = clock.instant();
      boolean incremental = previous != null && now.isBefore(lastFull.plus(FULL_LISTING_EVERY));
      String path = API + "/jobs" + (incremental ? "?update_time=" + since : "");
      RestTransport.Answer answer = call("rest:jobs", "GET", path, "list jobs");
      long stamp = now.minus(CLOCK_ALLOWANCE).getEpochSecond();
      if (incremental && answer.status() == 304) {
        since = stamp;
        return previous;
      }
      List<SchedulerJob> jobs = jobsOf(answer, "list jobs");
      previous = List.copyOf(jobs);
      since = stamp;
      lastFull = now;
      return previous;
    }
  }

  @Override
  public Optional<SchedulerJob> job(long jobId) throws SchedulerException {
    String what = "look at job " + jobId;
    RestTransport.Answer answer = call("rest:job", "GET", API + "/job/" + jobId, what);
    if (answer.status() == 500
        && RestAnswers.errors(answer.body()).stream()
            .anyMatch(e -> e.number() == ESLURM_INVALID_JOB_ID)) {
      return Optional.empty(); // slurmctld no longer knows it
    }
    return jobsOf(answer, what).stream().filter(j -> j.jobId() == jobId).findFirst();
  }

  /** {@inheritDoc} Asked of the command-line adapter ({@code sacct}). */
  @Override
  public Optional<SchedulerJob> fromAccounting(long jobId) throws SchedulerException {
    return commands.fromAccounting(jobId);
  }

  /** {@inheritDoc} With the command-line adapter: v0.0.38 has no requeue. */
  @Override
  public void requeueHold(long jobId) throws SchedulerException {
    commands.requeueHold(jobId);
  }

  /** {@inheritDoc} With the command-line adapter: v0.0.38 has no release. */
  @Override
  public void release(long jobId) throws SchedulerException {
    commands.release(jobId);
  }

  /** {@inheritDoc} With the command-line adapter, as the requeue it follows. */
  @Override
  public void startAfter(long jobId, Duration delay) throws SchedulerException {
    commands.startAfter(jobId, delay);
  }

  /** {@inheritDoc} With the command-line adapter, as every write. */
  @Override
  public void cancel(long jobId) throws SchedulerException {
    commands.cancel(jobId);
  }

  /** {@inheritDoc} With the command-line adapter, as the requeue it goes with. */
  @Override
  public void excludeNodes(long jobId, List<String> nodes) throws SchedulerException {
    commands.excludeNodes(jobId, nodes);
  }

  private List<SchedulerJob> jobsOf(RestTransport.Answer answer, String what)
      throws SchedulerException {
    if (answer.status() != 200) {
      throw failure(answer, what);
    }
    try {
      return RestAnswers.read(answer.body()).jobs();
    } catch (IOException e) {
      throw new SchedulerException(
          "could not " + what + ": the answer of " + where() + " cannot be read: " + e.getMessage(),
          true,
          e);
    }
  }

  /**
   * Sends the request with the token; when the answer may be a refused token, reads the token file
   * again and, when it holds a new token, repeats the request once. A refused token is 401 or 403
   * from slurmrestd itself (no token, or no user), but mostly status 500 with Slurm's unspecified
   * error (-1): slurmrestd 22.05 passes the token on to slurmctld, which refuses a token that
   * expired, belongs to another user or is not signed with its key with the error it also gives
   * when it cannot be reached.
   */
  private RestTransport.Answer call(String name, String method, String path, String what)
      throws SchedulerException {
    RestTransport.Answer answer = send(name, method, path, what);
    if (!mayBeRefusedToken(answer)) {
      return answer;
    }
    try {
      if (settings.token().reload()) {
        answer = send(name, method, path, what);
      }
    } catch (SlurmToken.Unreadable e) {
      throw new SchedulerException(
          "could not "
              + what
              + ": "
              + where()
              + " answered HTTP "
              + answer.status()
              + " and "
              + e.getMessage(),
          false,
          e);
    }
    if (answer.status() == 401 || answer.status() == 403) {
      throw new SchedulerException(
          "could not "
              + what
              + ": "
              + where()
              + " refused the request of Slurm user "
              + settings.user()
              + " (HTTP "
              + answer.status()
              + ": "
              + RestAnswers.start(answer.body())
              + "); is slurmrestd started with rest_auth/jwt, and does "
              + settings.token().source()
              + " hold a token?",
          false);
    }
    return answer;
  }

  /** 401, 403, or 500 with Slurm's unspecified error: see {@link #call}. */
  private static boolean mayBeRefusedToken(RestTransport.Answer answer) {
    return answer.status() == 401
        || answer.status() == 403
        || (answer.status() == 500
            && RestAnswers.errors(answer.body()).stream().anyMatch(e -> e.number() == -1));
  }

  private RestTransport.Answer send(String name, String method, String path, String what)
      throws SchedulerException {
    RestTransport.Request request =
        new RestTransport.Request(
            name,
            method,
            URI.create(settings.base() + path),
            Map.of(
                "X-SLURM-USER-NAME", settings.user(),
                "X-SLURM-USER-TOKEN", settings.token().value()));
    try {
      return transport.send(request);
    } catch (HttpTimeoutException e) {
      throw new SchedulerException(
          "could not " + what + ": " + where() + " did not answer in time (" + e.getMessage() + ")",
          true,
          e);
    } catch (ConnectException e) {
      throw new SchedulerException(
          "could not "
              + what
              + ": cannot connect to "
              + where()
              + " ("
              + (e.getMessage() == null ? "connection refused" : e.getMessage())
              + "); is slurmrestd running there?",
          true,
          e);
    } catch (RestTransport.AnswerTooLarge e) {
      throw new SchedulerException(
          "could not " + what + ": the answer of " + where() + " was not read: " + e.getMessage(),
          true,
          e);
    } catch (IOException e) {
      throw new SchedulerException(
          "could not " + what + ": the request to " + where() + " failed: " + describe(e), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchedulerException("interrupted while trying to " + what, true, e);
    }
  }

  /** The failure of an answer that is not what was asked for. */
  private SchedulerException failure(RestTransport.Answer answer, String what) {
    List<RestAnswers.SlurmError> errors = RestAnswers.errors(answer.body());
    String said =
        errors.isEmpty()
            ? RestAnswers.start(answer.body())
            : errors.stream()
                .map(e -> e.text() + (e.number() == 0 ? "" : " (error " + e.number() + ")"))
                .collect(Collectors.joining("; "));
    boolean refused = errors.stream().anyMatch(e -> e.number() >= 2000 && e.number() < 3000);
    boolean transientFailure = answer.status() >= 500 && !refused;
    String hint =
        mayBeRefusedToken(answer)
            ? "; slurmctld cannot be reached, or it refused the token of Slurm user "
                + settings.user()
                + " in "
                + settings.token().source()
                + " (expired, another user's, or not signed with the cluster's JWT key; slurmctld's"
                + " log says which: \"authentication error\")"
            : "";
    return new SchedulerException(
        "could not "
            + what
            + ": "
            + where()
            + " answered HTTP "
            + answer.status()
            + ": "
            + said
            + hint,
        transientFailure);
  }

  private String where() {
    return "slurmrestd at " + settings.where();
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
