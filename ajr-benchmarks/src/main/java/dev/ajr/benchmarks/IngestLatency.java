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
 * <p>With {@code --hostile}, one more job writes {@link HostileOutput} (the worst a program can
 * print: lines of 1 MiB and at the 64 KiB limit, regular-expression traps, carriage-return progress
 * bars, binary bytes, bursts of tiny lines) into its output file as fast as its thread can, with no
 * pause. Its file is in the first working directory, beside the files of 1 in {@code --dirs} of the
 * other jobs, so that its writes also flood the notifications of that directory; it is deleted and
 * written anew once it holds {@code --hostile-max-mb} MiB (the follower takes it for a rotated
 * file), so the disk does not fill. Its own lines are not measured: the report gives the delays of
 * the other jobs' fault lines (and apart, of its neighbours in its directory), what the hostile job
 * wrote a second, and how much of it ajr read and handled.
 *
 * <p>{@code java -cp ajr-benchmarks.jar dev.ajr.benchmarks.IngestLatency [--files 1000] [--rate
 * 10000] [--seconds 60] [--warmup 15] [--dirs 100] [--fault-every 1000] [--notifications true]
 * [--hostile] [--hostile-max-mb 1024]}
 */
public final class IngestLatency {

  private static final String MARK = "bench-written-ns=";

  /** The first job's id; job {@code i} is {@code FIRST_JOB + i}, the hostile job the last. */
  private static final long FIRST_JOB = 100_000;

  /** The working directory the hostile job writes in. */
  private static final int HOSTILE_DIR = 0;

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
    IngestOptions options;
    try {
      options = IngestOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("IngestLatency: " + e.getMessage());
      System.err.println(IngestOptions.USAGE);
      System.exit(2);
      return;
    }
    run(options);
  }

  private static void run(IngestOptions o) throws Exception {
    int files = o.files();
    int rate = o.rate();
    int seconds = o.seconds();
    int warmup = o.warmup();
    int dirCount = o.dirs();
    int faultEvery = o.faultEvery();
    String notifications = Boolean.toString(o.notifications());
    long hostileJob = o.hostile() ? FIRST_JOB + files : -1;

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
      Path dir = Files.createDirectories(root.resolve("work-" + (i % dirCount)));
      outputs.add(addJob(store, active, FIRST_JOB + i, "train-" + i, dir, start));
    }
    Path hostileOut = null;
    if (hostileJob >= 0) {
      Path dir = Files.createDirectories(root.resolve("work-" + HOSTILE_DIR));
      hostileOut = addJob(store, active, hostileJob, "hostile", dir, start);
    }

    long measureFrom = System.nanoTime() + (long) warmup * 1_000_000_000L;
    long[] delays = new long[1 << 20];
    long[] readDelays = new long[1 << 20];
    long[] neighbourDelays = new long[1 << 16];
    AtomicLong stored = new AtomicLong();
    AtomicLong neighboursStored = new AtomicLong();
    AtomicLong readFaults = new AtomicLong();
    AtomicLong linesRead = new AtomicLong();
    AtomicLong hostileLinesRead = new AtomicLong();
    AtomicLong hostileCharsRead = new AtomicLong();
    AtomicLong hostileLinesCut = new AtomicLong();
    AtomicLong hostileAnomalies = new AtomicLong();
    EventSink events =
        event -> {
          if (event instanceof AjrEvent.AnomalyDetected d) {
            long now = System.nanoTime();
            if (d.anomaly().jobId() == hostileJob) {
              hostileAnomalies.incrementAndGet();
              return;
            }
            long written = writtenAt(d.anomaly().line());
            if (written >= measureFrom) {
              int n = (int) stored.getAndIncrement();
              if (n < delays.length) {
                delays[n] = now - written;
              }
              if (hostileJob >= 0 && (d.anomaly().jobId() - FIRST_JOB) % dirCount == HOSTILE_DIR) {
                int k = (int) neighboursStored.getAndIncrement();
                if (k < neighbourDelays.length) {
                  neighbourDelays[k] = now - written;
                }
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
          if (jobId == hostileJob) {
            hostileLinesRead.incrementAndGet();
            hostileCharsRead.addAndGet(line.text().length() + 1L);
            if (line.truncated()) {
              hostileLinesCut.incrementAndGet();
            }
          } else {
            linesRead.incrementAndGet();
          }
          if (jobId != hostileJob && line.text().contains(MARK)) {
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
    while (follower.followedFiles() < active.size()) {
      Thread.sleep(50);
    }

    List<String> ordinary = TrainingLog.lines(20_000, Integer.MAX_VALUE, 11);
    Writer writer = new Writer(outputs, rate, faultEvery, ordinary);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Thread writing = Thread.ofPlatform().name("bench-writer").start(writer);
    HostileWriter hostile =
        hostileOut == null
            ? null
            : new HostileWriter(hostileOut, (long) o.hostileMaxMegabytes() << 20);
    Thread hostileWriting =
        hostile == null ? null : Thread.ofPlatform().name("bench-hostile-writer").start(hostile);
    Thread.sleep(warmup * 1000L);
    long cpu0 = os.getProcessCpuTime();
    Map<String, Long> threads0 = cpuByThread();
    long t0 = System.nanoTime();
    long written0 = writer.written.get();
    long read0 = linesRead.get();
    long[] hostile0 = hostile == null ? null : hostile.counts();
    long hostileRead0 = hostileLinesRead.get();
    long hostileChars0 = hostileCharsRead.get();
    long hostileCut0 = hostileLinesCut.get();
    long hostileAnomalies0 = hostileAnomalies.get();
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
    long[] hostile1 = hostile == null ? null : hostile.counts();
    long hostileRead1 = hostileLinesRead.get();
    long hostileChars1 = hostileCharsRead.get();
    long hostileCut1 = hostileLinesCut.get();
    long hostileAnomalies1 = hostileAnomalies.get();
    long backlog = follower.backlogBytes();
    long faultsWritten = writer.faults.get();
    writer.stop = true;
    writing.join();
    if (hostile != null) {
      hostile.stop = true;
      hostileWriting.join();
      if (hostile.failure != null) {
        throw new IllegalStateException("the hostile writer failed", hostile.failure);
      }
    }
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
            + " %d s measured after %d s warm-up%s%n",
        files,
        dirCount,
        rate,
        notifications,
        seconds,
        warmup,
        hostile == null
            ? ""
            : String.format(
                "; one more job writes hostile output as fast as it can, in work-%d beside %d of"
                    + " the %d jobs (its own lines not measured)",
                HOSTILE_DIR, neighbours(files, dirCount), files));
    System.out.printf(
        "| measurement | p50 | p90 | p99 | max | count |%n|---|---|---|---|---|---|%n");
    System.out.printf(
        "| fault line written → anomaly stored (ms) | %s | %s | %s | %s | %d |%n",
        ms(d, 0.50), ms(d, 0.90), ms(d, 0.99), ms(d, 1.0), n);
    System.out.printf(
        "| fault line written → read by the follower (ms) | %s | %s | %s | %s | %d |%n",
        ms(rd, 0.50), ms(rd, 0.90), ms(rd, 0.99), ms(rd, 1.0), r);
    if (hostile != null) {
      int k = (int) Math.min(neighboursStored.get(), neighbourDelays.length);
      long[] nd = Arrays.copyOf(neighbourDelays, k);
      Arrays.sort(nd);
      System.out.printf(
          "| of which, the %d jobs in the hostile job's directory: written → stored (ms)"
              + " | %s | %s | %s | %s | %d |%n",
          neighbours(files, dirCount), ms(nd, 0.50), ms(nd, 0.90), ms(nd, 0.99), ms(nd, 1.0), k);
    }
    System.out.printf(
        "lines written %.0f/s, read %.0f/s; fault lines written %d (including warm-up)%n",
        (written1 - written0) / elapsed, (read1 - read0) / elapsed, faultsWritten);
    if (hostile != null) {
      double bytesWritten = (hostile1[0] - hostile0[0]) / elapsed;
      double linesWritten = (hostile1[1] - hostile0[1]) / elapsed;
      double linesHandled = (hostileRead1 - hostileRead0) / elapsed;
      System.out.printf(
          "hostile job: wrote %.1f MB/s, %.0f lines/s in %.0f writes/s (file written anew %d times so far,"
              + " at %d MiB each); ajr read and handled %.0f lines/s (%.1f%% of the lines written),"
              + " %.1f MB/s of text kept, %.0f lines/s cut at the line limit, %.0f anomalies/s"
              + " stored for it; bytes not read or not handled yet at the end %.1f MB"
              + " (logs.max-queued-bytes %d); the database (with its journal) %.1f MB%n",
          bytesWritten / 1e6,
          linesWritten,
          (hostile1[2] - hostile0[2]) / elapsed,
          hostile1[3],
          o.hostileMaxMegabytes(),
          linesHandled,
          linesWritten > 0 ? 100 * linesHandled / linesWritten : 0.0,
          (hostileChars1 - hostileChars0) / elapsed / 1e6,
          (hostileCut1 - hostileCut0) / elapsed,
          (hostileAnomalies1 - hostileAnomalies0) / elapsed,
          backlog / 1e6,
          config.logs().maxQueuedBytes(),
          sizeOf(root.resolve("data")) / 1e6);
    }
    double ingest = 0;
    for (String name : INGEST_THREADS) {
      ingest += (threads1.getOrDefault(name, 0L) - threads0.getOrDefault(name, 0L)) / 1e9;
    }
    double writerCpu = cpuBetween(threads0, threads1, "bench-writer");
    double hostileCpu = cpuBetween(threads0, threads1, "bench-hostile-writer");
    System.out.printf(
        "CPU: %d cores; the follower's threads (%s) used %.2f cores, the benchmark's writer %.2f,"
            + "%s the whole process %.2f; heap used max %d MB, after GC %d MB (max heap %d MB);"
            + " Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        String.join(", ", INGEST_THREADS),
        ingest / elapsed,
        writerCpu / elapsed,
        hostile == null ? "" : String.format(" the hostile writer %.2f,", hostileCpu / elapsed),
        (cpu1 - cpu0) / 1e9 / elapsed,
        heapMax >> 20,
        heapAfterGc >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.version());
    db.close();
    deleteTree(root);
  }

  /** Saves a running job with its attempt and creates its output file; returns that file. */
  private static Path addJob(
      SqlRecoveryStore store,
      List<ActiveAttempt> active,
      long jobId,
      String name,
      Path dir,
      Instant start)
      throws IOException {
    Path out = Files.createFile(dir.resolve("slurm-" + jobId + ".out"));
    String node = "gpu-node-" + (jobId - FIRST_JOB);
    store.saveJob(
        new Job(
            jobId,
            name,
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
        new Attempt(jobId, 0, AttemptState.RUNNING, List.of(node), start, null, null, ""));
    active.add(
        new ActiveAttempt(
            jobId, 0, true, dir.toString(), out.toString(), "", List.of(node), start));
    return out;
  }

  /** How many of the jobs write in the hostile job's directory. */
  private static int neighbours(int files, int dirCount) {
    return (files - HOSTILE_DIR + dirCount - 1) / dirCount;
  }

  /** Cores the threads of that name used between the two samples, in seconds. */
  private static double cpuBetween(Map<String, Long> before, Map<String, Long> after, String name) {
    return (after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L)) / 1e9;
  }

  /**
   * Writes {@link HostileOutput} into one file as fast as it can, each write one {@code write}
   * call, with no pause; deletes the file and starts a new one under the same name once it holds
   * {@code maxBytes}.
   */
  private static final class HostileWriter implements Runnable {
    final Path file;
    final long maxBytes;
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong lines = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong renewals = new AtomicLong();
    volatile boolean stop;
    volatile Exception failure;

    HostileWriter(Path file, long maxBytes) {
      this.file = file;
      this.maxBytes = maxBytes;
    }

    /** Bytes, lines and writes written so far, and how many times the file was started anew. */
    long[] counts() {
      return new long[] {bytes.get(), lines.get(), writes.get(), renewals.get()};
    }

    @Override
    public void run() {
      HostileOutput output = new HostileOutput(13);
      FileChannel channel = null;
      try {
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        long inFile = Files.size(file);
        while (!stop) {
          HostileOutput.Write w = output.next();
          ByteBuffer buffer = ByteBuffer.wrap(w.bytes());
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          bytes.addAndGet(w.bytes().length);
          lines.addAndGet(w.lines());
          writes.incrementAndGet();
          inFile += w.bytes().length;
          if (inFile >= maxBytes) {
            channel.close();
            Files.delete(file);
            channel =
                FileChannel.open(
                    file,
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            inFile = 0;
            renewals.incrementAndGet();
          }
        }
      } catch (IOException e) {
        failure = e;
      } finally {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException e) {
            // closing
          }
        }
      }
    }
  }

  /** The bytes of the files under {@code dir}. */
  private static long sizeOf(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      long total = 0;
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  /** Deletes the benchmark's temporary directory: the job files (a hostile one may be large). */
  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
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
}
