package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.Job;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.events.InProcessEventBus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/stream}: Server-Sent Events telling open pages what changed, so they refresh
 * without reloading. Each event is {@code event: change} with data {@code {"type": "AttemptEnded",
 * "jobId": 123}}; the page fetches what it shows again.
 *
 * <p>Contract: a caller hears only of what they may see (a viewer: their own jobs; node events go
 * to operators and administrators). At most {@link #MAX_STREAMS} streams are open at once (more get
 * 503); each holds a bounded queue (a slow page loses changes, then gets {@code event: resync} and
 * reloads everything). A comment line is sent every 15 s so proxies keep the connection. Streams
 * end when the server stops. Changes made by another replica are not heard here; pages also refresh
 * every 30 s.
 */
final class EventStream {

  static final int MAX_STREAMS = 200;
  private static final int QUEUE = 256;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  // markers in a queue, compared by identity (event data are always new strings)
  private static final String RESYNC = "\u0000resync";
  private static final String STOP = "\u0000stop";

  /** One open stream: its queue of event data and who reads it. */
  private record Listener(LinkedBlockingQueue<String> queue, Principal caller) {}

  private final RecoveryStore store;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();

  /** Job id to owner, for viewers' streams (bounded: cleared past 100,000 jobs). */
  private final Map<Long, String> owners = new ConcurrentHashMap<>();

  EventStream(InProcessEventBus bus, RecoveryStore store) {
    this.store = store;
    bus.subscribe(this::publish);
  }

  private void publish(AjrEvent event) {
    String data =
        "{\"type\":\"" + event.getClass().getSimpleName() + "\",\"jobId\":" + event.jobId() + "}";
    for (Listener l : listeners) {
      if (!visible(event, l.caller)) {
        continue;
      }
      if (!l.queue.offer(data)) {
        l.queue.clear();
        l.queue.offer(RESYNC);
      }
    }
  }

  private boolean visible(AjrEvent event, Principal caller) {
    if (caller.role().seesAllJobs()) {
      return true;
    }
    if (event instanceof AjrEvent.NodeChanged || event.jobId() == 0) {
      return false;
    }
    if (event instanceof AjrEvent.JobDiscovered d) {
      owners.put(d.jobId(), d.job().user());
    }
    String owner = owners.get(event.jobId());
    if (owner == null) {
      owner = store.job(event.jobId()).map(Job::user).orElse(null);
      if (owner == null) {
        return false;
      }
      if (owners.size() > 100_000) {
        owners.clear();
      }
      owners.put(event.jobId(), owner);
    }
    return owner.equals(caller.username());
  }

  /** Serves one stream until the client goes away or the server stops. */
  Reply serve(Call call) {
    HttpExchange ex = call.exchange();
    Principal caller = call.caller();
    if (listeners.size() >= MAX_STREAMS) {
      throw new ApiException(
          503, "busy", "too many open event streams; the page refreshes every 30 s instead");
    }
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
    Listener listener = new Listener(queue, caller);
    listeners.add(listener);
    try {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().add("Cache-Control", "no-store");
      ex.getResponseHeaders().add("X-Accel-Buffering", "no");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      write(out, "retry: 3000\nevent: hello\ndata: {}\n\n");
      while (true) {
        String next = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          write(out, ": keep-alive\n\n");
        } else if (next == STOP) {
          return Reply.ANSWERED;
        } else if (next == RESYNC) {
          write(out, "event: resync\ndata: {}\n\n");
        } else {
          write(out, "event: change\ndata: " + next + "\n\n");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the page went away
    } finally {
      listeners.remove(listener);
    }
    return Reply.ANSWERED;
  }

  /** Ends every open stream (the server is stopping). */
  void closeAll() {
    for (Listener l : listeners) {
      l.queue.clear();
      l.queue.offer(STOP);
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
