package dev.ajr.server.logs;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for changes in directories through the file system's notifications (a {@link WatchService}:
 * inotify on Linux) and collects which files changed, for the log follower to read at once.
 *
 * <p>Contract: {@link #watch} registers a directory once and returns its registration, or empty
 * when the directory must be polled instead: its file system does not notify changes made on other
 * hosts ({@code whyPolled}), or the registration failed (the inotify watch limit, say). Each reason
 * is logged once at INFO, later directories with the same reason at DEBUG. One thread ({@code
 * ajr-log-watcher}) takes the notifications, lets those of a burst gather for {@value
 * #BATCH_WINDOW_MILLIS} ms (one wake-up then serves many written lines: half the CPU at 10,000
 * lines a second, see docs/benchmarks.md), merges them per directory until {@link #drain} is
 * called, and runs {@code onChange} after each batch (it should only schedule the drain). Memory is
 * bounded: past {@value #MAX_NAMES} changed names in a directory, or when notifications were lost
 * ({@code OVERFLOW}), the directory is reported as changed everywhere. Thread-safe.
 */
public final class DirectoryWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);

  static final int MAX_NAMES = 4096;
  static final long BATCH_WINDOW_MILLIS = 2;
  private static final int MAX_REASONS_LOGGED = 64;

  /**
   * What changed in one directory since the last drain.
   *
   * @param files the files written or created (absolute paths)
   * @param created the files created: candidates for following
   * @param everything notifications were lost or too many names changed: read every followed file
   *     of the directory and list it for new ones
   * @param lost the directory is no longer watched (deleted, unmounted): poll it from now on
   */
  public record Changes(
      Path dir, Set<Path> files, Set<Path> created, boolean everything, boolean lost) {}

  private final WatchService service;
  private final Runnable onChange;
  private final Function<Path, Optional<String>> whyPolled;
  private final Set<WatchKey> keys = ConcurrentHashMap.newKeySet();
  private final Set<String> reasonsLogged = ConcurrentHashMap.newKeySet();
  private final Map<Path, Pending> pending = new LinkedHashMap<>();
  private final Thread thread;

  /**
   * @param onChange run on the watcher's thread after changes were collected
   * @param whyPolled why a directory cannot be watched, or empty when it can ({@link
   *     NotifyingFileSystems#whyPolled})
   * @throws IOException when no watch service can be had (the inotify instance limit)
   */
  public DirectoryWatcher(Runnable onChange, Function<Path, Optional<String>> whyPolled)
      throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.onChange = onChange;
    this.whyPolled = whyPolled;
    this.thread = Thread.ofPlatform().name("ajr-log-watcher").daemon(true).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /**
   * Starts watching the directory (an absolute, normalised path).
   *
   * @return the registration, to {@link #cancel} when no file there is followed any more; empty
   *     when the directory must be polled
   */
  public Optional<WatchKey> watch(Path dir) {
    Optional<String> why = whyPolled.apply(dir);
    if (why.isPresent()) {
      fallBack(dir, why.get());
      return Optional.empty();
    }
    try {
      WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_MODIFY);
      keys.add(key);
      return Optional.of(key);
    } catch (NoSuchFileException e) {
      log.debug("{} does not exist (yet): polled", dir);
      return Optional.empty();
    } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
      fallBack(dir, "it cannot be watched: " + e.getMessage());
      return Optional.empty();
    }
  }

  private void fallBack(Path dir, String reason) {
    if (reasonsLogged.size() < MAX_REASONS_LOGGED && reasonsLogged.add(reason)) {
      log.info(
          "polling {} for new log lines: {} (other directories polled for the same reason are"
              + " logged at debug level)",
          dir,
          reason);
    } else {
      log.debug("polling {} for new log lines: {}", dir, reason);
    }
  }

  /** Stops watching a directory. */
  public void cancel(WatchKey key) {
    key.cancel();
    keys.remove(key);
  }

  /** Number of directories watched now. */
  public int watched() {
    return keys.size();
  }

  /** The changes collected since the last call, one entry per directory. */
  public List<Changes> drain() {
    List<Changes> out;
    synchronized (pending) {
      out = new ArrayList<>(pending.size());
      for (Pending p : pending.values()) {
        out.add(new Changes(p.dir, p.files, p.created, p.everything, p.lost));
      }
      pending.clear();
    }
    return out;
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        // Let the notifications of a burst of writes gather for a moment: one wake-up of this
        // thread and of the reader then serves many lines instead of one.
        Thread.sleep(BATCH_WINDOW_MILLIS);
        collect(key);
        while ((key = service.poll()) != null) {
          collect(key);
        }
        onChange.run();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    } catch (RuntimeException e) {
      log.warn("watching log directories stopped; their files are read by the safety poll: {}", e);
    }
  }

  private void collect(WatchKey key) {
    Path dir = (Path) key.watchable();
    List<WatchEvent<?>> events = key.pollEvents();
    boolean valid = key.reset();
    if (!valid) {
      keys.remove(key);
    }
    synchronized (pending) {
      Pending p = pending.computeIfAbsent(dir, Pending::new);
      p.lost |= !valid;
      for (WatchEvent<?> event : events) {
        if (event.kind() == OVERFLOW || p.files.size() >= MAX_NAMES) {
          p.everything();
        } else if (!p.everything && event.context() instanceof Path name) {
          Path file = dir.resolve(name);
          p.files.add(file);
          if (event.kind() == ENTRY_CREATE) {
            p.created.add(file);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      log.debug("closing the watch service: {}", e.toString());
    }
    thread.interrupt();
  }

  private static final class Pending {
    final Path dir;
    final Set<Path> files = new HashSet<>();
    final Set<Path> created = new HashSet<>();
    boolean everything;
    boolean lost;

    Pending(Path dir) {
      this.dir = dir;
    }

    void everything() {
      everything = true;
      files.clear();
      created.clear();
    }
  }
}
