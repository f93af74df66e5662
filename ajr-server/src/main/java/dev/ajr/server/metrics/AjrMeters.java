package dev.ajr.server.metrics;

import dev.ajr.core.detect.LineClassifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * Every meter ajr itself reports, by name, with its meaning: the one place names are written. The
 * names are Micrometer's dotted ones; Prometheus sees them with underscores and the unit ({@code
 * ajr.detection.delay} is {@code ajr_detection_delay_seconds}, a counter ends in {@code _total}).
 * {@link #CATALOG} lists them for the documentation (docs/operations.md, "Monitoring") and the
 * Grafana dashboard, which tests hold to it.
 *
 * <p>The methods build meters on the registry this was made with; the parts that record them get
 * the small recorders ({@link IngestMeter}, {@link PollMeter}, ...) rather than the registry.
 * Thread-safe.
 */
public final class AjrMeters {

  /** One meter as Prometheus shows it, with what it means. */
  public record Described(String prometheusName, String type, String labels, String meaning) {}

  public static final String DETECTION_DELAY = "ajr.detection.delay";
  public static final String FAULT_TO_NEXT_ATTEMPT = "ajr.fault.to.next.attempt";
  public static final String ANOMALIES = "ajr.anomalies";
  public static final String ANOMALIES_CAPPED = "ajr.anomalies.capped";
  public static final String DECISIONS = "ajr.decisions";
  public static final String ACTIONS = "ajr.actions";
  public static final String RECOVERIES_IN_FLIGHT = "ajr.recoveries.in.flight";
  public static final String SLURM_COMMAND = "ajr.slurm.command";
  public static final String SLURM_COMMAND_FAILURES = "ajr.slurm.command.failures";
  public static final String SLURM_COMMAND_OUTPUT = "ajr.slurm.command.output.bytes";
  public static final String POLL = "ajr.poll";
  public static final String POLL_FAILURES = "ajr.poll.failures";
  public static final String SLURM_REACHABLE = "ajr.slurm.reachable";
  public static final String SLURM_TOLD = "ajr.slurm.told";
  public static final String JOBS_TRACKED = "ajr.jobs.tracked";
  public static final String INGEST_LINES = "ajr.ingest.lines";
  public static final String INGEST_BYTES = "ajr.ingest.bytes";
  public static final String INGEST_LAG = "ajr.ingest.lag";
  public static final String INGEST_REFUSED = "ajr.ingest.refused";
  public static final String INGEST_IN_FLIGHT = "ajr.ingest.in.flight.bytes";
  public static final String FOLLOWER_BACKLOG = "ajr.follower.backlog";
  public static final String FOLLOWER_FILES = "ajr.follower.files";
  public static final String RULE_ENGINE = "ajr.rule.engine";
  public static final String LEADER = "ajr.leader";
  public static final String LEASE_RENEWALS = "ajr.lease.renewals";
  public static final String NOTIFICATIONS = "ajr.notifications";

  /** The prefix of the RabbitMQ client's own meters ({@code ajr_rabbitmq_...}). */
  public static final String RABBITMQ_PREFIX = "ajr.rabbitmq";

  /** The meters above, as Prometheus names them. */
  public static final List<Described> CATALOG =
      List.of(
          new Described(
              "ajr_detection_delay_seconds",
              "histogram",
              "",
              "from the time a failure line was written (the file's modification time, the"
                  + " shipper's or agent's timestamp) to the time its anomaly was stored"),
          new Described(
              "ajr_fault_to_next_attempt_seconds",
              "histogram",
              "",
              "from the time the failure line of a restarted attempt was written to the start of"
                  + " the job's next attempt"),
          new Described(
              "ajr_anomalies_total",
              "counter",
              "cause, evidence",
              "anomalies stored, by root cause and kind of log (job_output, kernel_log)"),
          new Described(
              "ajr_decisions_total",
              "counter",
              "cause, operation, mode",
              "decisions made, by the anomaly's cause, the operation (restart, release, stop,"
                  + " none) and whether ajr acts or only observes (act, observe)"),
          new Described(
              "ajr_actions_total",
              "counter",
              "kind, outcome",
              "Slurm actions finished, by kind (requeue_hold, start_now, release, cancel, ...)"
                  + " and outcome (verified, failed, skipped)"),
          new Described(
              "ajr_recoveries_in_flight",
              "gauge",
              "",
              "decisions stored and not finished (planned or in progress) in the shared database"),
          new Described(
              "ajr_slurm_command_seconds",
              "histogram",
              "command",
              "how long each Slurm command took (squeue, scontrol show, scontrol requeuehold,"
                  + " scontrol update, scontrol release, scancel, sinfo); every command appears"
                  + " from the start, at zero"),
          new Described(
              "ajr_slurm_command_failures_total",
              "counter",
              "command, reason",
              "Slurm commands that failed: exit (a non-zero status), timeout, not_run"),
          new Described(
              "ajr_poll_seconds",
              "histogram",
              "",
              "one round of the scheduler poller: reading Slurm and bringing the store in line"),
          new Described(
              "ajr_poll_failures_total", "counter", "", "rounds in which Slurm could not be read"),
          new Described(
              "ajr_anomalies_capped_total",
              "counter",
              "",
              "matching lines not stored as anomalies because their attempt had stored 20 of that"
                  + " rule already (a program printing a failure line in a loop)"),
          new Described(
              "ajr_slurm_told_total",
              "counter",
              "outcome",
              "jobs Slurm's controller told ajr of through its prolog and epilog hooks: looked_at"
                  + " (looked at at once), dropped (too many waited; the next listing finds them)"),
          new Described(
              "ajr_slurm_reachable",
              "gauge",
              "",
              "1 when the last read of Slurm worked, 0 when it failed (the server that acts)"),
          new Described(
              "ajr_jobs_tracked",
              "gauge",
              "",
              "unfinished jobs (their current attempts) after the last read of Slurm"),
          new Described(
              "ajr_ingest_lines_total",
              "counter",
              "path",
              "log lines taken in, by path: file (the log follower), agent, loki_push,"
                  + " loki_query"),
          new Described(
              "ajr_ingest_bytes_total", "counter", "path", "bytes of those lines (UTF-8 text)"),
          new Described(
              "ajr_ingest_lag_seconds",
              "histogram",
              "path",
              "from the time a line was written to the time ajr read it"),
          new Described(
              "ajr_follower_backlog_bytes",
              "gauge",
              "",
              "bytes written to followed files and not diagnosed yet: not read (as of each"
                  + " file's last read) or read and waiting in the job's queue"),
          new Described("ajr_follower_files", "gauge", "", "files the log follower follows"),
          new Described(
              "ajr_rule_engine_seconds",
              "histogram",
              "",
              "time the rule engine took to classify one line of job output"),
          new Described(
              "ajr_leader",
              "gauge",
              "",
              "1 when this server acts on Slurm (a single server, or the elected replica)"),
          new Described(
              "ajr_lease_renewals_total",
              "counter",
              "outcome",
              "rounds of the leader election (replicas only): held (this replica took or renewed"
                  + " the lease), elsewhere (another replica holds it), failed (the database did"
                  + " not answer)"),
          new Described(
              "ajr_notifications_total",
              "counter",
              "outcome",
              "notifications: sent, failed (given up after the retries), dropped (the queue was"
                  + " full); only with notifications.destinations"));

  private static final Duration[] SECONDS_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300)
  };

  private static final Duration[] RESTART_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300),
    Duration.ofSeconds(600),
    Duration.ofSeconds(1800),
    Duration.ofSeconds(3600)
  };

  private static final Duration[] MICRO_BUCKETS = {
    Duration.ofNanos(1_000),
    Duration.ofNanos(5_000),
    Duration.ofNanos(10_000),
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(50)
  };

  private final MeterRegistry registry;
  private final SlurmCommandMeters slurmCommands;

  public AjrMeters(MeterRegistry registry) {
    this.registry = registry;
    this.slurmCommands = new SlurmCommandMeters(this);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A histogram of seconds with buckets from 10 ms to 5 min (delays, lags, command times). */
  Timer seconds(String name, String description, String... tags) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(SECONDS_BUCKETS)
        .register(registry);
  }

  /** A histogram of seconds with buckets from 1 s to 1 h (times to restart). */
  Timer restartSeconds(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(RESTART_BUCKETS)
        .register(registry);
  }

  /** A histogram of seconds with buckets from 1 µs to 50 ms (work per line). */
  Timer microseconds(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(MICRO_BUCKETS)
        .register(registry);
  }

  Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  Counter bytes(String name, String description, String... tags) {
    return Counter.builder(name)
        .description(description)
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
  }

  /** A gauge read when scraped. */
  public void gauge(String name, String description, DoubleSupplier value) {
    Gauge.builder(name, value, DoubleSupplier::getAsDouble)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  /** A gauge of bytes read when scraped. */
  public void bytesGauge(String name, String description, DoubleSupplier value) {
    Gauge.builder(name, value, DoubleSupplier::getAsDouble)
        .description(description)
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /**
   * A counter kept by {@code owner} (a count that only grows), read when scraped. The registry
   * holds {@code owner} weakly: it must live as long as the meter is to report.
   */
  public <T> void countedElsewhere(
      String name, String description, T owner, ToLongFunction<T> count, String... tags) {
    FunctionCounter.builder(name, owner, o -> (double) count.applyAsLong(o))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /** Times Slurm's commands (registered with the registry, whether commands run or not). */
  public SlurmCommandMeters slurmCommands() {
    return slurmCommands;
  }

  /** Counts what one ingest path takes in. */
  public IngestMeter ingest(IngestMeter.Path path) {
    return new IngestMeters(this, path);
  }

  /** Times the scheduler poller's rounds and keeps what the last one saw. */
  public PollMeters poll() {
    return new PollMeters(this);
  }

  /** Counts the rounds of the leader election. */
  public LeaseMeter lease() {
    return new LeaseMeters(this);
  }

  /** {@code classifier}, each call timed: the rule engine's time per line. */
  public LineClassifier ruleEngine(LineClassifier classifier) {
    return new TimedClassifier(
        classifier, microseconds(RULE_ENGINE, "time to classify one line of job output"));
  }

  /** Counts anomalies, decisions and actions and times detections and restarts, from events. */
  public RecoveryEventMeters recoveryEvents(RecoveryEventMeters.Lookup lookup) {
    return new RecoveryEventMeters(this, lookup);
  }
}
