package dev.ajr.core.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure part of notifications: routes each notice to the destinations whose rules match it,
 * gathers what one recipient of one destination gets within the destination's window into one
 * {@link Digest}, and holds a digest back while the destination's rate limit is used up (it keeps
 * gathering meanwhile, so nothing is lost, only merged). Time comes from the caller. Not
 * thread-safe: one notifier thread owns it.
 *
 * <p>A digest opens with its first notice and is due {@code window} after it, or later when the
 * rate limit says so. Events dropped before routing (a full queue) are reported in the next digest
 * of every destination with fixed recipients.
 */
public final class NotificationPlanner {

  /** How many notices a digest carries in full; the others are only counted. */
  public static final int DEFAULT_SAMPLE_SIZE = 20;

  private record Key(String route, String recipient) {}

  private final List<Route> routes;
  private final int sampleSize;
  private final Map<Key, DigestBuilder> open = new LinkedHashMap<>();
  private final Map<Key, ArrayDeque<Instant>> sent = new HashMap<>();

  public NotificationPlanner(List<Route> routes) {
    this(routes, DEFAULT_SAMPLE_SIZE);
  }

  public NotificationPlanner(List<Route> routes, int sampleSize) {
    this.routes = List.copyOf(routes);
    this.sampleSize = sampleSize;
  }

  public List<Route> routes() {
    return routes;
  }

  /** Routes a notice; returns how many digests took it. */
  public int offer(Notice n) {
    int taken = 0;
    for (Route route : routes) {
      for (String recipient : route.recipients(n)) {
        open.computeIfAbsent(
                new Key(route.name(), recipient),
                k -> new DigestBuilder(route.name(), recipient, n.at(), sampleSize))
            .add(n);
        taken++;
      }
    }
    return taken;
  }

  /** Reports events that were dropped unseen (by event type) to every fixed recipient. */
  public void dropped(Map<String, Long> counts, Instant at) {
    if (counts.isEmpty()) {
      return;
    }
    for (Route route : routes) {
      if (route.toFixed()) {
        open.computeIfAbsent(
                new Key(route.name(), Route.FIXED),
                k -> new DigestBuilder(route.name(), Route.FIXED, at, sampleSize))
            .dropped(counts, at);
      }
    }
  }

  /** Closes and returns the digests due at {@code now}, counting them against the rate limits. */
  public List<Digest> due(Instant now) {
    List<Digest> out = new ArrayList<>();
    Iterator<Map.Entry<Key, DigestBuilder>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, DigestBuilder> e = it.next();
      Route route = route(e.getKey().route());
      if (now.isBefore(dueAt(e.getKey(), e.getValue(), route, now))) {
        continue;
      }
      it.remove();
      ArrayDeque<Instant> times = sent.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>());
      times.addLast(now);
      out.add(e.getValue().build());
    }
    return out;
  }

  /** When the next digest is due, or empty when none is open. */
  public Optional<Instant> nextDue(Instant now) {
    Instant next = null;
    for (Map.Entry<Key, DigestBuilder> e : open.entrySet()) {
      Instant at = dueAt(e.getKey(), e.getValue(), route(e.getKey().route()), now);
      if (next == null || at.isBefore(next)) {
        next = at;
      }
    }
    return Optional.ofNullable(next);
  }

  /** How many digests are open. */
  public int openDigests() {
    return open.size();
  }

  private Instant dueAt(Key key, DigestBuilder digest, Route route, Instant now) {
    Instant at = digest.opened().plus(route.window());
    ArrayDeque<Instant> times = sent.get(key);
    if (times == null) {
      return at;
    }
    Duration per = route.rateLimit().per();
    while (!times.isEmpty() && !times.peekFirst().plus(per).isAfter(now)) {
      times.removeFirst();
    }
    if (times.isEmpty()) {
      sent.remove(key);
      return at;
    }
    if (times.size() >= route.rateLimit().messages()) {
      Instant allowed = times.peekFirst().plus(per);
      return allowed.isAfter(at) ? allowed : at;
    }
    return at;
  }

  private Route route(String name) {
    for (Route r : routes) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IllegalStateException("no route " + name);
  }
}
