package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.PasswordHasher;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.IngestEndpoints;
import dev.ajr.server.http.TestApi;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlIngestPositions;
import dev.ajr.server.store.SqlRecoveryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The node agent as a real process shipping a job's output and a kernel log file while they are
 * written: the agent is killed with SIGKILL mid-stream and restarted, and the server is down for a
 * minute ({@code -Dajr.it.server-down=60s} by default) while the files keep growing, with a 10 MB
 * line and binary garbage among the lines. Every line must reach the server's line handler exactly
 * once.
 */
class AgentDeliveryIT {

  private static final long JOB = 77;
  private static final String NODE = "nodeA";

  private final Map<Long, AtomicInteger> jobLines = new ConcurrentHashMap<>();
  private final Map<Long, AtomicInteger> kernelLines = new ConcurrentHashMap<>();
  private final List<String> trouble = new ArrayList<>();

  @Test
  void noLineIsLostOrRepeatedThroughAnAgentKillAndAServerOutage() throws Exception {
    Path root = Files.createTempDirectory("ajr-it-agent-");
    Path out = root.resolve("train-" + JOB + ".out");
    Path kern = root.resolve("kern.log");
    Files.createFile(out);
    Files.createFile(kern);
    Duration down = Duration.parse("PT" + System.getProperty("ajr.it.server-down", "60s"));

    try (Database db = Database.openSqlite(root.resolve("data"))) {
      Clock clock = Clock.systemUTC();
      new SqlRecoveryStore(db, clock); // the schema
      UserStore users = new UserStore(db, clock);
      users.putUser("agent", PasswordHasher.randomSecret(), Role.AGENT);
      Path tokenFile = root.resolve("agent.token");
      Files.writeString(tokenFile, users.createToken("agent", "it"));
      LineRouter router =
          new LineRouter(
              (jobId, attempt, node, line) -> {
                if (jobId != JOB || attempt != 0) {
                  trouble.add("unexpected " + jobId + "/" + attempt + ": " + line.source());
                }
                if (line.evidence() == Evidence.KERNEL_LOG) {
                  if (!node.equals(NODE)) {
                    trouble.add("a kernel line of " + NODE + " attributed to " + node);
                  }
                  count(kernelLines, line.lineNumber());
                } else {
                  count(jobLines, line.lineNumber());
                }
              },
              jobId -> OptionalInt.empty(),
              (node, line) -> trouble.add("a kernel line reached no job: " + line.text()),
              clock);
      router.update(
          List.of(
              new ActiveAttempt(
                  JOB,
                  0,
                  true,
                  root.toString(),
                  out.toString(),
                  out.toString(),
                  List.of(NODE),
                  Instant.now())));
      AgentIngest ingest =
          new AgentIngest(new StreamGate(new SqlIngestPositions(db, clock)), router, clock, 65536);
      Authenticator auth = new Authenticator(users, clock);
      IngestEndpoints endpoints = new IngestEndpoints(ingest, router, null, 65536);
      TestApi api = TestApi.on(db, clock).users(users).auth(auth).ingest(endpoints);
      ApiServer server = api.start();
      int port = server.port();

      Writer writer = new Writer(out, kern);
      Thread writing = Thread.ofPlatform().name("it-writer").start(writer);
      List<String> agentArgs =
          List.of(
              "agent",
              "--server",
              "http://127.0.0.1:" + port,
              "--node",
              NODE,
              "--token-file",
              tokenFile.toString(),
              "--kernel-log",
              kern.toString(),
              "--state-dir",
              root.resolve("agent-state").toString());
      Process agent = AgentProcess.start(agentArgs, root.resolve("agent-1.log"));
      try {
        awaitAtLeast(() -> jobLines.size(), 2_000, Duration.ofSeconds(60), "first lines");
        agent.destroyForcibly().waitFor(); // SIGKILL, mid-stream
        agent = AgentProcess.start(agentArgs, root.resolve("agent-2.log"));
        awaitAtLeast(() -> jobLines.size(), 6_000, Duration.ofSeconds(60), "lines after restart");

        server.close(); // the server goes away; the files keep growing
        Thread.sleep(down.toMillis()); // the outage itself is what is tested, not a wait
        server = api.port(port).start();

        writer.stop();
        writing.join();
        long total = writer.jobLinesWritten.get();
        long kernelTotal = writer.kernelLinesWritten.get();
        awaitAtLeast(
            () -> jobLines.size(), total, Duration.ofSeconds(120), "every line after the outage");
        awaitAtLeast(
            () -> kernelLines.size(), kernelTotal, Duration.ofSeconds(60), "every kernel line");
        assertThat(trouble).isEmpty();
        for (long n = 1; n <= total; n++) {
          AtomicInteger c = jobLines.get(n);
          assertThat(c).as("job output line %d arrived", n).isNotNull();
          assertThat(c.get()).as("job output line %d arrived once", n).isEqualTo(1);
        }
        assertThat(jobLines).hasSize((int) total);
        for (long n = 1; n <= kernelTotal; n++) {
          assertThat(kernelLines.get(n)).as("kernel line %d", n).isNotNull();
          assertThat(kernelLines.get(n).get()).as("kernel line %d once", n).isEqualTo(1);
        }
        assertThat(kernelLines).hasSize((int) kernelTotal);
        deleteTree(root);
      } finally {
        writer.stop();
        agent.destroyForcibly();
        server.close();
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void count(Map<Long, AtomicInteger> counts, long lineNumber) {
    counts.computeIfAbsent(lineNumber, n -> new AtomicInteger()).incrementAndGet();
  }

  private static void awaitAtLeast(IntSupplier count, long target, Duration timeout, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (count.getAsInt() < target) {
      if (Instant.now().isAfter(deadline)) {
        fail("waited " + timeout + " for " + what + ": " + count.getAsInt() + " of " + target);
      }
      Thread.sleep(50);
    }
  }

  /** Appends numbered lines to the job output (about 500/s) and now and then to the kernel log. */
  private static final class Writer implements Runnable {
    final Path out;
    final Path kern;
    final AtomicLong jobLinesWritten = new AtomicLong();
    final AtomicLong kernelLinesWritten = new AtomicLong();
    volatile boolean stopped;

    Writer(Path out, Path kern) {
      this.out = out;
      this.kern = kern;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      Random random = new Random(42);
      try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.APPEND);
          OutputStream k = Files.newOutputStream(kern, StandardOpenOption.APPEND)) {
        while (!stopped) {
          for (int i = 0; i < 50; i++) {
            long n = jobLinesWritten.incrementAndGet();
            byte[] line;
            if (n == 3_000) {
              line = "x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.UTF_8);
            } else if (n % 1_000 == 500) {
              line = new byte[4096];
              random.nextBytes(line);
              for (int b = 0; b < line.length; b++) {
                if (line[b] == '\n' || line[b] == '\r') {
                  line[b] = 0;
                }
              }
            } else {
              line = ("iteration " + n + " | loss 2.31 | lr 3e-4").getBytes(StandardCharsets.UTF_8);
            }
            o.write(line);
            o.write('\n');
          }
          o.flush();
          long kn = kernelLinesWritten.incrementAndGet();
          k.write(
              ("[" + kn + ".000000] NVRM: Xid (PCI:0000:3b:00): 79, event " + kn + "\n")
                  .getBytes(StandardCharsets.UTF_8));
          k.flush();
          Thread.sleep(100);
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
