package dev.ajr.benchmarks;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveParser;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.progress.ProgressMonitor;
import dev.ajr.core.progress.StragglerSettings;
import dev.ajr.core.recovery.AnomalyHandler;
import dev.ajr.core.recovery.DecisionSettings;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.ingest.ExcerptRecorder;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.rules.RuleCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the server spends per line of a followed job, on one core: the line handler the log follower
 * calls for every line ({@link LineHandler#onLine}), wired as the server wires it (the excerpt
 * recorder's ring, then the {@link AnomalyHandler} classifying the line with the built-in catalog,
 * then the {@link ProgressMonitor} parsing progress and keeping the hang and straggler state, and
 * progress marks), with the in-memory store of the core's test fakes instead of a database, so
 * store writes are not measured (the realistic mix has no failure to store; {@code IngestLatency}
 * measures the path with SQLite). The lines are those of {@link RealisticTrainingLog}, from {@code
 * jobs} jobs at different points of their run (job {@code j} from its line {@code j × 50,000}, so
 * one is starting and the others train), handed on in runs of 100 lines per job as the follower
 * reads a file at a time, each as a new {@link LogLine} with a growing line number.
 *
 * <p>{@code pipeline} is the whole handler; {@code rulesOnly} and {@code progressOnly} its two main
 * parts alone. One operation hands on all the lines; the {@code bytes} and {@code lines} counters
 * give bytes and lines per second (bytes as UTF-8, with the newline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LivePipelineBenchmark {

  /** Lines of each job per operation. */
  static final int LINES_PER_JOB = 25_000;

  /** Lines of one job handed on before the next job's, as the follower reads one file at once. */
  static final int RUN = 100;

  /** Where job {@code j}'s lines start in its stream: {@code j × JOB_OFFSET}. */
  static final int JOB_OFFSET = 50_000;

  @Param({"8"})
  public int jobs;

  private long[] jobIds;
  private String[] sources;
  private String[][] texts;
  private long[] lineNumbers;
  private long bytesPerOperation;
  private LineHandler handler;
  private RuleEngine engine;
  private ProgressMonitor progress;
  private Instant now;

  @Setup(Level.Trial)
  public void setUp() {
    AjrConfig config = ConfigLoader.load(null, Map.of("recovery.mode", "observe"), Map.of());
    Clock clock = Clock.systemUTC();
    InMemoryRecoveryStore store = new InMemoryRecoveryStore();
    engine = RuleCatalog.builtIn().engine();
    now = clock.instant();
    jobIds = new long[jobs];
    sources = new String[jobs];
    texts = new String[jobs][];
    lineNumbers = new long[jobs];
    List<ActiveAttempt> active = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      long jobId = 700_000L + j;
      String dir = "/lustre/fsw/llm/jobs/" + jobId;
      String out = dir + "/slurm-" + jobId + ".out";
      jobIds[j] = jobId;
      sources[j] = out;
      List<String> nodes = new ArrayList<>();
      for (int n = 0; n < TrainingCluster.NODES; n++) {
        nodes.add("gpu-h100-" + LogFormat.zeros(j * TrainingCluster.NODES + n, 3));
      }
      Instant start = now.minus(Duration.ofHours(1 + j));
      store.saveJob(
          new Job(
              jobId,
              "pretrain-" + j,
              "bench",
              "gpu",
              dir,
              out,
              "",
              "",
              new DirectiveResult.Absent(),
              JobStatus.RUNNING,
              "",
              start,
              start,
              TrainingCluster.NODES));
      store.saveAttempt(new Attempt(jobId, 0, AttemptState.RUNNING, nodes, start, null, null, ""));
      active.add(new ActiveAttempt(jobId, 0, true, dir, out, "", nodes, start));
      RealisticTrainingLog log = new RealisticTrainingLog(1000 + j);
      for (long skip = 0; skip < (long) j * JOB_OFFSET; skip++) {
        log.next();
      }
      texts[j] = new String[LINES_PER_JOB];
      for (int i = 0; i < LINES_PER_JOB; i++) {
        texts[j][i] = log.next();
        bytesPerOperation += texts[j][i].getBytes(StandardCharsets.UTF_8).length + 1;
      }
    }
    EventSink events = event -> {};
    AnomalyHandler anomalies =
        new AnomalyHandler(
            engine,
            store,
            List::of,
            events,
            new JobLocks(),
            clock,
            decisionId -> {},
            new DecisionSettings(
                config.recovery().limits(),
                config.recovery().policy(),
                config.recovery().mode(),
                config.recovery().cascadeSettle()));
    DirectiveParser directives = new DirectiveParser();
    progress =
        new ProgressMonitor(
            config.recovery().hang(),
            StragglerSettings.DEFAULTS,
            jobId -> store.job(jobId).flatMap(j -> directives.hangTimeout(j.comment())));
    progress.update(active);
    ExcerptRecorder excerpts = new ExcerptRecorder(store, clock);
    excerpts.update(active);
    // As the server's pipeline wiring builds the follower's handler.
    handler =
        excerpts.before((jobId, attempt, node, line) -> {
          anomalies.onLine(jobId, attempt, node, line);
          progress
              .onLine(jobId, attempt, line.text(), line.readAt())
              .ifPresent(event -> store.recordProgress(jobId, attempt, event));
        });
    System.err.printf(
        "%d jobs, %d lines, %d bytes per operation; catalog: %d rules%n",
        jobs, (long) jobs * LINES_PER_JOB, bytesPerOperation, engine.rules().size());
  }

  @Benchmark
  public void pipeline(LineVolume volume) {
    for (int from = 0; from < LINES_PER_JOB; from += RUN) {
      for (int j = 0; j < jobs; j++) {
        now = now.plusMillis(2);
        for (int i = from; i < from + RUN; i++) {
          String text = texts[j][i];
          handler.onLine(
              jobIds[j],
              0,
              "",
              new LogLine(
                  text, sources[j], ++lineNumbers[j], now, now, false, Evidence.JOB_OUTPUT));
        }
      }
    }
    count(volume);
  }

  @Benchmark
  public void rulesOnly(LineVolume volume, Blackhole sink) {
    for (int from = 0; from < LINES_PER_JOB; from += RUN) {
      for (int j = 0; j < jobs; j++) {
        for (int i = from; i < from + RUN; i++) {
          sink.consume(engine.classify(texts[j][i]));
        }
      }
    }
    count(volume);
  }

  @Benchmark
  public void progressOnly(LineVolume volume, Blackhole sink) {
    for (int from = 0; from < LINES_PER_JOB; from += RUN) {
      for (int j = 0; j < jobs; j++) {
        now = now.plusMillis(2);
        for (int i = from; i < from + RUN; i++) {
          sink.consume(progress.onLine(jobIds[j], 0, texts[j][i], now));
        }
      }
    }
    count(volume);
  }

  private void count(LineVolume volume) {
    volume.add(bytesPerOperation, (long) jobs * LINES_PER_JOB);
  }
}
