package dev.ajr.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * Pushes realistic Loki batches to a running ajr server as fast as it takes them, the way Promtail
 * sends them (Snappy-compressed protobuf {@code logproto.PushRequest}, one stream per client with
 * the labels {@code job_id}, {@code host} and {@code filename}, training-log lines from {@link
 * RealisticTrainingLog}), and samples the server's resident memory ({@code ps -o rss}) while it
 * does. A refused push (429) is sent again, whole, after its Retry-After plus up to half as much at
 * random, as a shipper would; the report counts lines accepted and pushes refused and retried. Each
 * client is a shipper on its own node: it names the address 10.0.0.{@code k+1} in {@code
 * X-Forwarded-For}, which the server believes when it trusts 127.0.0.1 as a proxy ({@code
 * server.trusted-proxies}); otherwise all clients are one source. Each client's lines are made
 * once, before the run, so that making them does not take the cores the server needs.
 *
 * <p>{@code java -cp ajr-benchmarks.jar dev.ajr.benchmarks.LokiPushLoad --url URL --token-file F
 * --pid PID [--clients 4] [--seconds 60] [--batch-bytes 1048576] [--first-job 1001]}: client {@code
 * k} (from 0) pushes the output of job {@code first-job + k} on node {@code gpu-node-k+1}.
 */
public final class LokiPushLoad {

  private final URI push;
  private final String token;
  private final long pid;
  private final int batchBytes;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final AtomicLong linesAccepted = new AtomicLong();
  private final AtomicLong bytesAccepted = new AtomicLong();
  private final AtomicLong wireBytesAccepted = new AtomicLong();
  private final AtomicLong pushesAccepted = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final AtomicLong refusedLines = new AtomicLong();
  private final AtomicLong otherFailures = new AtomicLong();
  private volatile boolean stopping;

  private LokiPushLoad(URI push, String token, long pid, int batchBytes) {
    this.push = push;
    this.token = token;
    this.pid = pid;
    this.batchBytes = batchBytes;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    int clients = Integer.parseInt(a.getOrDefault("clients", "4"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
    long firstJob = Long.parseLong(a.getOrDefault("first-job", "1001"));
    LokiPushLoad load =
        new LokiPushLoad(
            URI.create(required(a, "url") + "/loki/api/v1/push"),
            Files.readString(Path.of(required(a, "token-file"))).strip(),
            Long.parseLong(required(a, "pid")),
            Integer.parseInt(a.getOrDefault("batch-bytes", "1048576")));
    load.run(clients, seconds, firstJob);
  }

  private void run(int clients, int seconds, long firstJob) throws Exception {
    List<List<byte[]>> lines = new ArrayList<>();
    for (int k = 0; k < clients; k++) {
      lines.add(linesOf(firstJob + k, Math.max(2L * batchBytes, 16L << 20)));
    }
    long startRss = rssKib();
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < clients; k++) {
      int client = k;
      threads.add(
          Thread.ofPlatform()
              .name("pusher-" + k)
              .start(() -> pushLoop(client, firstJob + client, lines.get(client))));
    }
    Instant start = Instant.now();
    Instant end = start.plusSeconds(seconds);
    long peak = startRss;
    List<String> samples = new ArrayList<>();
    Instant nextSample = start.plusSeconds(5);
    // Sampled once a second until the clients have stopped (their last pushes included).
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(1_000); // the sampling period, not a wait for a condition
      if (!Instant.now().isBefore(end)) {
        stopping = true;
      }
      long rss = rssKib();
      peak = Math.max(peak, rss);
      if (!Instant.now().isBefore(nextSample)) {
        samples.add(Duration.between(start, Instant.now()).toSeconds() + "s " + rss / 1024);
        nextSample = nextSample.plusSeconds(5);
      }
    }
    double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    System.out.printf(
        "clients %d, batches of %,d bytes (uncompressed), %.0f s%n", clients, batchBytes, elapsed);
    System.out.printf(
        "server RSS: %d MiB before, peak %d MiB, after %d MiB%n",
        startRss / 1024, peak / 1024, rssKib() / 1024);
    System.out.println("RSS (MiB) every 5 s: " + String.join(", ", samples));
    System.out.printf(
        "accepted: %,d pushes, %,d lines, %.1f MB of lines (%.1f MB/s), %.1f MB sent%n",
        pushesAccepted.get(),
        linesAccepted.get(),
        bytesAccepted.get() / 1e6,
        bytesAccepted.get() / 1e6 / elapsed,
        wireBytesAccepted.get() / 1e6);
    System.out.printf(
        "refused (429) and sent again: %,d pushes (%,d lines); other failures (batch given up"
            + " or connection failed): %d%n",
        refusals.get(), refusedLines.get(), otherFailures.get());
  }

  /** Pushes batches of one job until stopped; a refused batch is sent again until it is taken. */
  private void pushLoop(int client, long jobId, List<byte[]> lines) {
    String labels =
        "{filename=\"/bench/w/slurm-%d.out\", host=\"gpu-node-%d\", job_id=\"%d\"}"
            .formatted(jobId, client + 1, jobId);
    long nanos = System.currentTimeMillis() * 1_000_000L;
    int next = 0;
    while (!stopping) {
      List<byte[]> entries = new ArrayList<>();
      long plain = 0;
      while (plain < batchBytes) {
        byte[] line = lines.get(next);
        next = (next + 1) % lines.size();
        nanos = Math.max(nanos + 1, System.currentTimeMillis() * 1_000_000L);
        entries.add(entry(nanos, line));
        plain += line.length;
      }
      byte[] body;
      try {
        body = Snappy.compress(message(1, stream(labels, entries)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      sendUntilTaken(body, entries.size(), plain, "10.0.0." + (client + 1));
    }
  }

  /** About {@code bytes} of the training log of {@code seed}, as UTF-8 lines. */
  private static List<byte[]> linesOf(long seed, long bytes) {
    RealisticTrainingLog log = new RealisticTrainingLog(seed);
    List<byte[]> lines = new ArrayList<>();
    for (long made = 0; made < bytes; ) {
      byte[] line = log.next().getBytes(StandardCharsets.UTF_8);
      lines.add(line);
      made += line.length;
    }
    return lines;
  }

  private void sendUntilTaken(byte[] body, int lines, long plain, String address) {
    HttpRequest request =
        HttpRequest.newBuilder(push)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-protobuf")
            .header("Authorization", "Bearer " + token)
            .header("X-Forwarded-For", address)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    while (true) {
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 == 2) {
          pushesAccepted.incrementAndGet();
          linesAccepted.addAndGet(lines);
          bytesAccepted.addAndGet(plain);
          wireBytesAccepted.addAndGet(body.length);
          return;
        }
        if (answer.statusCode() != 429) {
          // Not a request to wait: sending it again would not help; the batch is given up.
          if (otherFailures.incrementAndGet() <= 3) {
            System.err.println(answer.statusCode() + " " + answer.body());
          }
          return;
        }
        refusals.incrementAndGet();
        refusedLines.addAndGet(lines);
        long seconds = Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1"));
        pause(seconds * 1_000 + ThreadLocalRandom.current().nextLong(seconds * 500 + 1));
      } catch (IOException e) {
        if (otherFailures.incrementAndGet() <= 3) {
          System.err.println(e);
        }
        if (stopping) {
          return;
        }
        pause(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // a shipper's wait before it retries
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long rssKib() throws IOException, InterruptedException {
    Process ps =
        new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid))
            .redirectErrorStream(true)
            .start();
    String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    ps.waitFor();
    return out.isEmpty() ? 0 : Long.parseLong(out);
  }

  // Loki's push.proto: PushRequest{streams=1}, StreamAdapter{labels=1, entries=2},
  // EntryAdapter{timestamp=1, line=2}, google.protobuf.Timestamp{seconds=1, nanos=2}.

  private static byte[] entry(long nanos, byte[] line) {
    ByteArrayOutputStream ts = new ByteArrayOutputStream();
    varintField(ts, 1, nanos / 1_000_000_000L);
    varintField(ts, 2, nanos % 1_000_000_000L);
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    bytesField(e, 1, ts.toByteArray());
    bytesField(e, 2, line);
    return e.toByteArray();
  }

  private static byte[] stream(String labels, List<byte[]> entries) {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    bytesField(s, 1, labels.getBytes(StandardCharsets.UTF_8));
    for (byte[] entry : entries) {
      bytesField(s, 2, entry);
    }
    return s.toByteArray();
  }

  /** A message holding {@code value} as field {@code field} (length-delimited). */
  private static byte[] message(int field, byte[] value) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    bytesField(m, field, value);
    return m.toByteArray();
  }

  private static void varintField(ByteArrayOutputStream out, int field, long value) {
    varint(out, (long) field << 3);
    varint(out, value);
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] value) {
    varint(out, ((long) field << 3) | 2);
    varint(out, value.length);
    out.writeBytes(value);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      out.put(args[i].substring(2), args[i + 1]);
    }
    return out;
  }

  private static String required(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("give --" + name);
    }
    return v;
  }
}
