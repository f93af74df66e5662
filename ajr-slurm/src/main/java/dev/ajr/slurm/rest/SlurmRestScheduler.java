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
 * and {@code X-SLURM-USER-TOKEN}. A reading path: what v0.0.38 cannot do is done by the
 * command-line adapter given as {@code commands}.
 *
 * <ul>
 *   <li>{@link #jobs}: {@code GET /slurm/v0.0.38/jobs}, the same job objects as {@code squeue
 *       --json}, so the same bytes per job. From the second listing on ajr adds {@code
 *       update_time=T}: slurmctld then answers "no change in data" when no job changed since T, and
 *       slurmrestd 22.05 turns that into {@code 304 Not Modified} with no body, whereupon the
 *       previous listing is returned as it is. Strictly, slurmctld compares T - 1 with the time of
 *       its last change to any job (a submission, a start, an end, a purged record, a changed
 *       pending reason), in whole seconds of its own clock. ajr's T is the second at which its
 *       previous request started, less {@link #CLOCK_ALLOWANCE} for a difference between ajr's
 *       clock and slurmctld's, and a full listing is asked for at least every {@link
 *       #FULL_LISTING_EVERY} whatever the answers, so a larger difference delays what ajr sees by
 *       at most that. An empty {@code jobs} array with status 200 is an empty queue.
 *   <li>{@link #job}: {@code GET /slurm/v0.0.38/job/{id}}, which asks slurmctld for that job alone.
 *       slurmrestd answers a job slurmctld does not know with status 500 and the error number 2017
 *       ("Invalid job id specified"): empty.
 *   <li>Output paths: the v0.0.38 job objects carry them as submitted (with {@code %} patterns,
 *       empty for the default); they are resolved as {@code scontrol show job} resolves them
 *       ({@link OutputPaths}), without a request.
 *   <li>{@link #cancel}: {@code DELETE /slurm/v0.0.38/job/{id}} (SIGKILL to the whole job; a job
 *       that already ended counts as cancelled).
 *   <li>{@link #requeueHold}, {@link #release}, {@link #startAfter}, {@link #excludeNodes} and
 *       {@link #fromAccounting} go to {@code commands}: v0.0.38 has no requeue and no release (its
 *       job update takes the options of {@code sbatch}, whose hold is only a priority of 0), and
 *       the accounting is read with {@code sacct -D}, which lists every run of a requeued job (the
 *       restart count) where slurmdbd's REST plugin needs loading and a second token path.
 * </ul>
 *
 * <p>Failures: slurmrestd not reachable, no whole answer in time, an answer with status 5xx, an
 * answer that is not JSON or is too long (the transport's cap) are transient; slurmctld's refusal
 * (an error number from 2000 to 2999, Slurm's {@code ESLURM_*}) and any 4xx are not. A 401 or 403
 * reads the token file again and, when it holds a new token, repeats the request once; then it is a
 * failure naming the user and where the token comes from, never the token. Thread-safe: listings
 * are taken one at a time.
 */
public final class SlurmRestScheduler implements Scheduler {

  /** The API version, and so the Slurm release, this adapter speaks. */
  public static final String API = "/slurm/v0.0.38";

  /** Taken off the time of the previous request in {@code update_time}. */
  static final Duration CLOCK_ALLOWANCE = Duration.ofSeconds(10);

  /** A full listing at least this often, whatever the incremental answers said. */
  static final Duration FULL_LISTING_EVERY = Duration.ofMinutes(1);

  /** The names of the requests, for the meters. */
  public static final List<String> REQUESTS = List.of("rest:jobs", "rest:job", "rest:cancel");

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
   * @param commands the command-line adapter, for what v0.0.38 cannot do
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

  @Override
  public void cancel(long jobId) throws SchedulerException {
    String what = "cancel job " + jobId;
    RestTransport.Answer answer = call("rest:cancel", "DELETE", API + "/job/" + jobId, what);
    if (answer.status() != 200) {
      throw failure(answer, what);
    }
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
   * Sends the request with the token; on 401 or 403 reads the token file again and repeats the
   * request once when the file holds a new token.
   */
  private RestTransport.Answer call(String name, String method, String path, String what)
      throws SchedulerException {
    boolean repeated = false;
    while (true) {
      RestTransport.Answer answer = send(name, method, path, what);
      if (answer.status() != 401 && answer.status() != 403) {
        return answer;
      }
      if (!repeated) {
        try {
          if (settings.token().reload()) {
            repeated = true;
            continue;
          }
        } catch (SlurmToken.Unreadable e) {
          throw new SchedulerException(
              "could not "
                  + what
                  + ": "
                  + where()
                  + " refused the token (HTTP "
                  + answer.status()
                  + ") and "
                  + e.getMessage(),
              false,
              e);
        }
      }
      throw new SchedulerException(
          "could not "
              + what
              + ": "
              + where()
              + " refused the token of Slurm user "
              + settings.user()
              + " (HTTP "
              + answer.status()
              + "): the token in "
              + settings.token().source()
              + " has expired, belongs to another user or is not signed with the cluster's JWT"
              + " key; renew it with scontrol token username="
              + settings.user(),
          false);
    }
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
    return new SchedulerException(
        "could not " + what + ": " + where() + " answered HTTP " + answer.status() + ": " + said,
        transientFailure);
  }

  private String where() {
    return "slurmrestd at " + settings.where();
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
