package dev.ajr.server.agent;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the node's kernel log from {@code /dev/kmsg} on a thread of its own into a bounded queue.
 *
 * <p>Contract: records of this boot up to {@code after} (the last one the server acknowledged) are
 * skipped, so a restarted agent neither repeats nor loses a record the ring buffer still holds;
 * after a reboot (a new boot id) everything the buffer holds is read. Only records the kernel wrote
 * itself (facility 0) are handed out. When the queue is full the reader waits (the kernel keeps the
 * records meanwhile); records the ring buffer overwrote before they were read are reported once per
 * overrun in the log and are gone.
 */
public final class KmsgReader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KmsgReader.class);

  /** A kernel record, with its wall-clock time. */
  public record Entry(long sequence, Instant writtenAt, String text) {}

  private final Path device;
  private final String bootId;
  private final Instant bootTime;
  private final long after;
  private final BlockingQueue<Entry> queue;
  private final InputStream in;
  private final Thread thread;
  private volatile boolean closed;
  private volatile IOException failure;

  /**
   * Opens the device; throws with a sentence saying what to do when it cannot be read.
   *
   * @param after the last sequence number acknowledged in the boot {@code savedBootId}, or -1
   */
  public KmsgReader(Path device, String savedBootId, long after, int capacity, Clock clock)
      throws IOException {
    this.device = device;
    this.bootId = bootId();
    this.bootTime = clock.instant().minus(uptime());
    this.after = bootId.equals(savedBootId) ? after : -1;
    this.queue = new ArrayBlockingQueue<>(capacity);
    try {
      this.in = new FileInputStream(device.toFile());
    } catch (IOException e) {
      throw new IOException(
          "cannot read the kernel log "
              + device
              + " ("
              + e.getMessage()
              + "); run the agent as root (or with CAP_SYSLOG), or give --kernel-log FILE",
          e);
    }
    this.thread = Thread.ofPlatform().name("ajr-agent-kmsg").daemon(true).unstarted(this::run);
    thread.start();
  }

  /** This boot's id: sequence numbers start again after a reboot. */
  public String bootIdOfThisBoot() {
    return bootId;
  }

  /** Moves up to {@code max} waiting records to {@code into}; never blocks. */
  public int drainTo(List<Entry> into, int max) throws IOException {
    if (failure != null && queue.isEmpty()) {
      throw failure;
    }
    return queue.drainTo(into, max);
  }

  private void run() {
    byte[] record = new byte[16 * 1024];
    boolean overrun = false;
    while (!closed) {
      int n;
      try {
        n = in.read(record);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
          if (!overrun) {
            log.warn("kernel log records were overwritten before they could be read");
          }
          overrun = true;
          continue;
        }
        failure = new IOException("reading the kernel log " + device + " failed: " + e, e);
        return;
      }
      if (n < 0) {
        return;
      }
      overrun = false;
      KmsgRecord.parse(record, n)
          .filter(r -> r.fromKernel() && r.sequence() > after)
          .ifPresent(this::enqueue);
    }
  }

  private void enqueue(KmsgRecord r) {
    Instant at = bootTime.plus(Duration.ofNanos(r.microsSinceBoot() * 1000));
    try {
      queue.put(new Entry(r.sequence(), at, r.text()));
    } catch (InterruptedException e) {
      closed = true;
    }
  }

  private static String bootId() throws IOException {
    Path file = Path.of("/proc/sys/kernel/random/boot_id");
    return Files.exists(file) ? Files.readString(file).strip() : "unknown";
  }

  private static Duration uptime() {
    try {
      String first = Files.readString(Path.of("/proc/uptime")).strip().split("\\s+")[0];
      return Duration.ofMillis((long) (Double.parseDouble(first) * 1000));
    } catch (IOException | RuntimeException e) {
      return Duration.ZERO;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      in.close();
    } catch (IOException e) {
      // closing a character device: nothing left to release
    }
  }
}
