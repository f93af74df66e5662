package dev.ajr.benchmarks;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveParser;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.progress.ProgressMonitor;
import dev.ajr.core.progress.StragglerSettings;
import dev.ajr.core.recovery.AnomalyHandler;
import dev.ajr.core.recovery.DecisionSettings;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.logs.LogFollowService;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlLogOffsets;
import dev.ajr.server.store.SqlProgressMarks;
import dev.ajr.server.store.SqlRecoveryStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Log ingestion at cluster scale: {@code --files} job output files written concurrently at {@code
 * --rate} lines a second in total, followed by the real {@link LogFollowService} and classified by
 * the real {@link AnomalyHandler} with the built-in rule catalog into the real {@link
 * SqlRecoveryStore} on SQLite, wired as {@code AjrServer} wires them (recovery mode observe, so no
 * scheduler is touched). One line in {@code --fault-every} is a failure line (CUDA, NCCL,
 * segmentation fault) carrying {@link System#nanoTime} at the moment it was written; the delay to
 * the moment its anomaly is stored is reported as p50, p90, p99 and max, with the lines per second
 * written and read, the CPU used and the heap.
 *
 * <p>{@code java -cp ajr-benchmarks.jar dev.ajr.benchmarks.IngestLatency [--files 1000] [--rate
 * 10000] [--seconds 60] [--warmup 15] [--dirs 100] [--fault-every 1000] [--notifications true]}
 */
public final class IngestLatency {

  private static final String MARK = "bench-written-ns=";

  /**
   * The follower's own threads (its handler threads counted together), and the JDK's thread that
   * reads inotify for the watch service.
   */
  private static final List<String> INGEST_THREADS =
      List.of(
          "ajr-log-follower", "ajr-line-handler-N", "ajr-log-watcher", "FileSystemWatchService");

  private static final Pattern WRITTEN = Pattern.compile(MARK + "(\\d+)");
  private static final String[] FAULTS = {
    "[rank%d]: RuntimeError: CUDA error: an illegal memory access was encountered (%s%d)",
    "gpu-node-%d:3301:3380 [2] NCCL WARN NET/IB : Got completion from peer 10.1.2.3<5678> with"
        + " error 12, opcode 0, len 0, vendor err 129 (Send) (%s%d)",
    "[rank%d]: Rank0: (1) segmentation fault: benchmark (%s%d)",
    "[rank%d]: RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:"
        + "1191, unhandled system error, NCCL version 2.10.3 (%s%d)",
  };

  private IngestLatency() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    int files = Integer.parseInt(opts.getOrDefault("files", "1000"));
    int rate = Integer.parseInt(opts.getOrDefault("rate", "10000"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "15"));
    int dirCount = Integer.parseInt(opts.getOrDefault("dirs", "100"));
    int faultEvery = Integer.parseInt(opts.getOrDefault("fault-every", "1000"));
    String notifications = opts.getOrDefault("notifications", "true");

    Path root = Files.createTempDirectory("ajr-ingest-");
    AjrConfig config =
        ConfigLoader.load(
            null,
            Map.of(
                "recovery.mode",
                "observe",
                "logs.notifications",
                notifications,
                "data-dir",
                root.resolve("data").toString()));
    Clock clock = Clock.systemUTC();
    Database db = AjrServer.openDatabase(config);
    SqlRecoveryStore store = new SqlRecoveryStore(db, clock);
    RuleCatalog.Loaded rules = RuleCatalog.load(config.rulesDir());
    checkFaultsMatch(rules);

    // Jobs and their running attempts, as the tracker would have stored them.
    List<ActiveAttempt> active = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    Instant start = clock.instant();
    for (int i = 0; i < files; i++) {
      long jobId = 100_000 + i;
      Path dir = Files.createDirectories(root.resolve("work-" + (i % dirCount)));
      Path out = Files.createFile(dir.resolve("slurm-" + jobId + ".out"));
      outputs.add(out);
      store.saveJob(
          new Job(
              jobId,
              "train-" + i,
              "bench",
              "gpu",
              dir.toString(),
              out.toString(),
              "",
              "",
              new DirectiveResult.Absent(),
              JobStatus.RUNNING,
              "",
              start,
              start,
              8));
      store.saveAttempt(
          new Attempt(
              jobId, 0, AttemptState.RUNNING, List.of("gpu-node-" + i), start, null, null, ""));
      active.add(
          new ActiveAttempt(
              jobId, 0, true, dir.toString(), out.toString(), "", List.of("gpu-node-" + i), start));
    }

    long measureFrom = System.nanoTime() + (long) warmup * 1_000_000_000L;
    long[] delays = new long[1 << 20];
    long[] readDelays = new long[1 << 20];
    AtomicLong stored = new AtomicLong();
    AtomicLong readFaults = new AtomicLong();
    AtomicLong linesRead = new AtomicLong();
    EventSink events =
        event -> {
          if (event instanceof AjrEvent.AnomalyDetected d) {
            long now = System.nanoTime();
            long written = writtenAt(d.anomaly().line());
            if (written >= measureFrom) {
              int n = (int) stored.getAndIncrement();
              if (n < delays.length) {
                delays[n] = now - written;
              }
            }
          }
        };
    JobLocks locks = new JobLocks();
    AnomalyHandler anomalies =
        new AnomalyHandler(
            rules.engine(),
            store,
            List::of,
            events,
            locks,
            clock,
            decisionId -> {},
            new DecisionSettings(
                config.recovery().limits(),
                PolicySettings.DEFAULTS,
                config.recovery().mode(),
                config.recovery().cascadeSettle()));
    DirectiveParser directives = new DirectiveParser();
    ProgressMonitor progress =
        new ProgressMonitor(
            config.recovery().hang(),
            StragglerSettings.DEFAULTS,
            jobId -> store.job(jobId).flatMap(j -> directives.hangTimeout(j.comment())));
    SqlProgressMarks marks = new SqlProgressMarks(db);
    LineHandler lines =
        (jobId, attempt, node, line) -> {
          linesRead.incrementAndGet();
          if (line.text().contains(MARK)) {
            long written = writtenAt(line.text());
            if (written >= measureFrom) {
              int n = (int) readFaults.getAndIncrement();
              if (n < readDelays.length) {
                readDelays[n] = System.nanoTime() - written;
              }
            }
          }
          anomalies.onLine(jobId, attempt, node, line);
          progress
              .onLine(jobId, attempt, line.text(), line.readAt())
              .ifPresent(event -> marks.record(jobId, attempt, event, line.readAt()));
        };
    LogFollowService follower =
        new LogFollowService(lines, clock, config.logs(), new SqlLogOffsets(db, clock));
    progress.update(active);
    follower.update(active);
    follower.start();
    while (follower.followedFiles() < files) {
      Thread.sleep(50);
    }

    List<String> ordinary = TrainingLog.lines(20_000, Integer.MAX_VALUE, 11);
    Writer writer = new Writer(outputs, rate, faultEvery, ordinary);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Thread writing = Thread.ofPlatform().name("bench-writer").start(writer);
    Thread.sleep(warmup * 1000L);
    long cpu0 = os.getProcessCpuTime();
    Map<String, Long> threads0 = cpuByThread();
    long t0 = System.nanoTime();
    long written0 = writer.written.get();
    long read0 = linesRead.get();
    long heapMax = 0;
    for (int s = 0; s < seconds; s++) {
      Thread.sleep(1000);
      heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
    }
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    Map<String, Long> threads1 = cpuByThread();
    long written1 = writer.written.get();
    long read1 = linesRead.get();
    long faultsWritten = writer.faults.get();
    writer.stop = true;
    writing.join();
    Thread.sleep(3000); // the last lines
    follower.close();
    System.gc();
    long heapAfterGc = memory.getHeapMemoryUsage().getUsed();

    int n = (int) Math.min(stored.get(), delays.length);
    long[] d = Arrays.copyOf(delays, n);
    Arrays.sort(d);
    int r = (int) Math.min(readFaults.get(), readDelays.length);
    long[] rd = Arrays.copyOf(readDelays, r);
    Arrays.sort(rd);
    double elapsed = (t1 - t0) / 1e9;
    System.out.printf(
        "%nIngest latency: %d files in %d directories, %d lines/s asked, notifications %s,"
            + " %d s measured after %d s warm-up%n",
        files, dirCount, rate, notifications, seconds, warmup);
    System.out.printf(
        "| measurement | p50 | p90 | p99 | max | count |%n|---|---|---|---|---|---|%n");
    System.out.printf(
        "| fault line written → anomaly stored (ms) | %s | %s | %s | %s | %d |%n",
        ms(d, 0.50), ms(d, 0.90), ms(d, 0.99), ms(d, 1.0), n);
    System.out.printf(
        "| fault line written → read by the follower (ms) | %s | %s | %s | %s | %d |%n",
        ms(rd, 0.50), ms(rd, 0.90), ms(rd, 0.99), ms(rd, 1.0), r);
    System.out.printf(
        "lines written %.0f/s, read %.0f/s; fault lines written %d (including warm-up)%n",
        (written1 - written0) / elapsed, (read1 - read0) / elapsed, faultsWritten);
    double ingest = 0;
    for (String name : INGEST_THREADS) {
      ingest += (threads1.getOrDefault(name, 0L) - threads0.getOrDefault(name, 0L)) / 1e9;
    }
    double writerCpu =
        (threads1.getOrDefault("bench-writer", 0L) - threads0.getOrDefault("bench-writer", 0L))
            / 1e9;
    System.out.printf(
        "CPU: %d cores; the follower's threads (%s) used %.2f cores, the benchmark's writer %.2f,"
            + " the whole process %.2f; heap used max %d MB, after GC %d MB (max heap %d MB);"
            + " Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        String.join(", ", INGEST_THREADS),
        ingest / elapsed,
        writerCpu / elapsed,
        (cpu1 - cpu0) / 1e9 / elapsed,
        heapMax >> 20,
        heapAfterGc >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.version());
    db.close();
  }

  /** Writes the lines, each in one {@code write} call as a training process flushing a line. */
  private static final class Writer implements Runnable {
    final List<Path> outputs;
    final int rate;
    final int faultEvery;
    final List<String> ordinary;
    final AtomicLong written = new AtomicLong();
    final AtomicLong faults = new AtomicLong();
    volatile boolean stop;

    Writer(List<Path> outputs, int rate, int faultEvery, List<String> ordinary) {
      this.outputs = outputs;
      this.rate = rate;
      this.faultEvery = faultEvery;
      this.ordinary = ordinary;
    }

    @Override
    public void run() {
      List<FileChannel> channels = new ArrayList<>();
      try {
        for (Path p : outputs) {
          channels.add(FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        Random random = new Random(5);
        long startNs = System.nanoTime();
        long i = 0;
        while (!stop) {
          long due = startNs + i * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
            continue;
          }
          int file = order.get((int) (i % channels.size()));
          String text;
          if (random.nextInt(faultEvery) == 0) {
            String template = FAULTS[random.nextInt(FAULTS.length)];
            text = String.format(template, random.nextInt(8), MARK, System.nanoTime());
            faults.incrementAndGet();
          } else {
            text = ordinary.get((int) (i % ordinary.size()));
          }
          channels.get(file).write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
          written.incrementAndGet();
          i++;
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } finally {
        for (FileChannel c : channels) {
          try {
            c.close();
          } catch (IOException e) {
            // closing
          }
        }
      }
    }
  }

  /** CPU time of each live thread, by name (threads of the same name added up). */
  private static Map<String, Long> cpuByThread() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (long id : bean.getAllThreadIds()) {
      ThreadInfo info = bean.getThreadInfo(id);
      long time = bean.getThreadCpuTime(id);
      if (info != null && time >= 0) {
        // The threads of a pool (ajr-line-handler-1, -2, ...) are counted under one name.
        cpu.merge(info.getThreadName().replaceFirst("-\\d+$", "-N"), time, Long::sum);
      }
    }
    return cpu;
  }

  private static long writtenAt(String text) {
    Matcher m = WRITTEN.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : Long.MIN_VALUE;
  }

  private static String ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "-";
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return String.format("%.1f", sorted[Math.max(0, index)] / 1e6);
  }

  /** Every fault line must be matched by a rule of the catalog that acts. */
  private static void checkFaultsMatch(RuleCatalog.Loaded rules) {
    for (String template : FAULTS) {
      String line = String.format(template, 1, MARK, 123L);
      var detection = rules.engine().classify(line);
      if (detection.isEmpty()) {
        throw new IllegalStateException("no rule matches the fault line " + line);
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, not " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }
}
