package dev.ajr.server.agent;

import dev.ajr.core.detect.Evidence;
import dev.ajr.server.ingest.AgentBatch;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.logs.JobLogFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: reads the output of the jobs running on its node and the node's kernel log, and
 * ships the lines to the server.
 *
 * <p>Contract: delivery is at least once and in order per stream. A batch is read, sent, and only
 * when the server acknowledged it are the streams' positions saved ({@link AgentState}); while the
 * server is away the same batch is sent again with backoff and nothing more is read (the files and
 * the kernel's ring buffer hold the rest), so memory stays bounded by one batch. A server that asks
 * the agent to wait (429, its limits for log senders reached) gets the same batch again after its
 * Retry-After, at most {@value #MAX_RETRY_AFTER_SECONDS} s, plus up to half as much again at
 * random, so that the agents it refused do not all come back at once ({@link #busyWait}). After a
 * restart every stream resumes at its last acknowledged position; the server recognises lines it
 * already has. Which jobs run here comes from the server ({@code GET /api/v1/agent/jobs}); the
 * batch host of a job ships its standard output and error and the step logs in its working
 * directory, other nodes ship step logs only from their own (non-network) disks. A job's files are
 * still read for {@code grace} after it stopped running here, then their last partial line is sent
 * and they are forgotten. Single-threaded apart from the kernel reader.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  static final long MAX_RETRY_AFTER_SECONDS = 60;
  private static final String KMSG_STREAM = "kmsg";

  private final AgentSettings settings;
  private final AgentClient client;
  private final AgentState state;
  private final Clock clock;
  private final Map<String, FollowedStream> files = new LinkedHashMap<>();
  private KmsgReader kmsg;
  private String kmsgBoot;
  private long kmsgAcked = -1;
  private Instant nextRefresh = Instant.EPOCH;
  private volatile boolean closed;
  private final Object wake = new Object();
  private long sentLines;
  private final Waiting retryWait;
  private final DoubleSupplier random;

  /** Waits between tries of a batch. */
  @FunctionalInterface
  interface Waiting {
    void waitFor(Duration d) throws InterruptedException;
  }

  public NodeAgent(AgentSettings settings, AgentClient client, Clock clock) {
    this(settings, client, clock, null, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param retryWait waits between tries of a batch, or null to wait on the agent (which {@link
   *     #close} ends)
   * @param random numbers from 0 (included) to 1 (excluded), for the jitter of {@link #busyWait}
   */
  NodeAgent(
      AgentSettings settings,
      AgentClient client,
      Clock clock,
      Waiting retryWait,
      DoubleSupplier random) {
    this.settings = settings;
    this.client = client;
    this.state = new AgentState(settings.stateDir(), settings.node());
    this.clock = clock;
    this.retryWait = retryWait != null ? retryWait : this::pause;
    this.random = random;
  }

  /**
   * How long to wait before sending a batch again that the server refused with 429: its
   * Retry-After, from 1 s to {@value #MAX_RETRY_AFTER_SECONDS} s, plus {@code random} (0 to 1)
   * times half of it.
   */
  static Duration busyWait(Duration retryAfter, double random) {
    long millis = Math.clamp(retryAfter.toMillis(), 1_000, MAX_RETRY_AFTER_SECONDS * 1_000);
    return Duration.ofMillis(millis + (long) (millis * 0.5 * random));
  }

  /** Restores the saved state and opens the kernel log; throws with a clear sentence on failure. */
  public void open() throws IOException {
    AgentState.Saved saved = state.load();
    Instant now = clock.instant();
    for (AgentState.FileStream s : saved.files().values()) {
      FollowedStream stream = FollowedStream.restore(s, settings.maxLineBytes());
      stream.lastAssigned = now;
      files.put(key(stream.jobId, stream.name()), stream);
    }
    Path kernel = settings.kernelLog();
    if (kernel == null) {
      return;
    }
    if (kernel.equals(AgentSettings.KMSG)) {
      AgentState.Kmsg k = saved.kmsg();
      kmsg =
          new KmsgReader(
              kernel,
              k == null ? "" : k.bootId(),
              k == null ? -1 : k.sequence(),
              settings.maxBatchLines(),
              clock);
      kmsgBoot = kmsg.bootIdOfThisBoot();
      kmsgAcked = k != null && k.bootId().equals(kmsgBoot) ? k.sequence() : -1;
    } else if (!files.containsKey(key(0, kernel.toString()))) {
      FollowedStream stream =
          new FollowedStream(kernel, settings.maxLineBytes(), Evidence.KERNEL_LOG, 0, -1, true);
      files.put(key(0, stream.name()), stream);
    }
  }

  /** Runs until {@link #close}. */
  public void run() throws InterruptedException {
    while (!closed) {
      Instant now = clock.instant();
      if (settings.jobOutput() && !now.isBefore(nextRefresh)) {
        refresh(now);
        nextRefresh = now.plus(settings.refreshInterval());
      }
      Batch batch = collect();
      if (batch.lines == 0) {
        dropFinished(now);
        pause(settings.pollInterval());
        continue;
      }
      deliver(batch);
    }
  }

  /** Lines read, with where each kernel stream got to. */
  private static final class Batch {
    final List<AgentBatch.Stream> streams = new ArrayList<>();
    int lines;
    int bytes;
    long kmsgLast = -1;

    void add(List<AgentBatch.Stream> entries) {
      for (AgentBatch.Stream s : entries) {
        streams.add(s);
        lines += s.lines().size();
        for (AgentBatch.Line l : s.lines()) {
          bytes += l.text().length();
        }
      }
    }
  }

  /** Reads new lines from every stream, up to the batch limits. */
  private Batch collect() {
    Batch batch = new Batch();
    if (kmsg != null) {
      List<KmsgReader.Entry> records = new ArrayList<>();
      try {
        kmsg.drainTo(records, settings.maxBatchLines());
      } catch (IOException e) {
        log.error("{}; the kernel log is no longer read", e.getMessage());
        kmsg.close();
        kmsg = null;
      }
      if (!records.isEmpty()) {
        List<AgentBatch.Line> lines = new ArrayList<>();
        for (KmsgReader.Entry r : records) {
          lines.add(new AgentBatch.Line(r.sequence(), cut(r.text()), r.writtenAt(), false));
        }
        batch.add(
            List.of(
                new AgentBatch.Stream(
                    KMSG_STREAM, Evidence.KERNEL_LOG, 0, -1, true, kmsgBoot, lines)));
        batch.kmsgLast = records.get(records.size() - 1).sequence();
      }
    }
    for (FollowedStream stream : files.values()) {
      int room = settings.maxBatchBytes() - batch.bytes;
      if (room <= 0 || batch.lines >= settings.maxBatchLines()) {
        break;
      }
      try {
        batch.add(stream.read(room));
      } catch (IOException e) {
        log.debug("cannot read {} now: {}", stream.name(), e.toString());
      }
    }
    return batch;
  }

  private String cut(String text) {
    return text.length() > settings.maxLineBytes()
        ? text.substring(0, settings.maxLineBytes())
        : text;
  }

  /**
   * Sends the batch until the server takes it, then records the positions; a refusal (429) or an
   * outage keeps the batch and its positions as they are.
   */
  private void deliver(Batch batch) throws InterruptedException {
    Duration backoff = Duration.ofMillis(250);
    boolean outage = false;
    boolean busy = false;
    while (!closed) {
      try {
        AgentBatch.Ack ack = client.send(new AgentBatch(settings.node(), batch.streams));
        if (outage) {
          log.info("the ajr server is back; sending resumed");
        }
        sentLines += ack.accepted();
        commit(batch);
        return;
      } catch (AgentClient.Busy e) {
        Duration wait = busyWait(e.retryAfter(), random.getAsDouble());
        if (!busy) {
          log.info(
              "{}; keeping {} lines and sending them again in {} ms",
              e.getMessage(),
              batch.lines,
              wait.toMillis());
        }
        busy = true;
        retryWait.waitFor(wait);
        continue;
      } catch (AgentClient.Refused e) {
        log.error("{}; check --token-file", e.getMessage());
        outage = true;
      } catch (IOException e) {
        if (!outage) {
          log.warn("{}; keeping {} lines and trying again", e.getMessage(), batch.lines);
        }
        outage = true;
      }
      retryWait.waitFor(backoff);
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private void commit(Batch batch) {
    if (batch.kmsgLast >= 0) {
      kmsgAcked = batch.kmsgLast;
    }
    saveState();
  }

  private void saveState() {
    Map<String, AgentState.FileStream> saved = new LinkedHashMap<>();
    files.forEach((k, s) -> saved.put(k, s.saved()));
    try {
      state.save(
          saved,
          kmsg == null && kmsgBoot == null ? null : new AgentState.Kmsg(kmsgBoot, kmsgAcked));
    } catch (IOException e) {
      log.warn("cannot save the agent state in {}: {}", state.file(), e.toString());
    }
  }

  /** Follows the files of the jobs that run here now. */
  private void refresh(Instant now) {
    List<LineRouter.Assignment> jobs;
    try {
      jobs = client.assignments();
    } catch (IOException e) {
      log.debug("cannot ask which jobs run here: {}", e.getMessage());
      return;
    }
    for (LineRouter.Assignment job : jobs) {
      List<Path> paths = new ArrayList<>();
      if (job.batchHost()) {
        for (String output : new String[] {job.stdOut(), job.stdErr()}) {
          if (output != null && !output.isEmpty() && !output.contains("%")) {
            paths.add(Path.of(output));
          }
        }
      }
      if (job.workDir() != null && !job.workDir().isEmpty()) {
        Path workDir = Path.of(job.workDir());
        if (job.batchHost() || !Filesystems.isNetwork(workDir)) {
          paths.addAll(JobLogFiles.find(workDir, job.jobId()));
        }
      }
      for (Path path : paths) {
        Path file = path.toAbsolutePath().normalize();
        String key = key(job.jobId(), file.toString());
        FollowedStream stream = files.get(key);
        boolean shared =
            file.toString().equals(job.stdOut()) || file.toString().equals(job.stdErr());
        if (stream == null) {
          if (!Files.exists(file)) {
            continue;
          }
          int attempt = shared ? -1 : JobLogFiles.attemptOf(file, job.attempt(), job.startTime());
          stream =
              new FollowedStream(
                  file,
                  settings.maxLineBytes(),
                  Evidence.JOB_OUTPUT,
                  job.jobId(),
                  attempt,
                  !Filesystems.isNetwork(file));
          files.put(key, stream);
          log.debug("shipping {} of job {}", file, job.jobId());
        } else if (shared && stream.lastAttemptSeen != job.attempt()) {
          try {
            stream.checkRewritten();
          } catch (IOException e) {
            log.debug("cannot check {}: {}", file, e.toString());
          }
        }
        stream.lastAttemptSeen = job.attempt();
        stream.lastAssigned = now;
      }
    }
  }

  /** Sends the last partial lines of jobs gone for longer than the grace, then forgets them. */
  private void dropFinished(Instant now) throws InterruptedException {
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, FollowedStream> e : files.entrySet()) {
      FollowedStream s = e.getValue();
      if (s.kind == Evidence.JOB_OUTPUT
          && Duration.between(s.lastAssigned, now).compareTo(settings.grace()) > 0) {
        gone.add(e.getKey());
      }
    }
    if (gone.isEmpty()) {
      return;
    }
    Batch last = new Batch();
    for (String key : gone) {
      last.add(files.get(key).flush());
    }
    if (last.lines > 0) {
      deliver(last);
    }
    gone.forEach(files::remove);
    saveState();
  }

  private static String key(long jobId, String path) {
    return jobId + ":" + path;
  }

  /** Lines the server took in since the start. */
  public long sentLines() {
    return sentLines;
  }

  private void pause(Duration d) throws InterruptedException {
    synchronized (wake) {
      if (!closed) {
        wake.wait(Math.max(1, d.toMillis()));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    if (kmsg != null) {
      kmsg.close();
    }
  }
}
