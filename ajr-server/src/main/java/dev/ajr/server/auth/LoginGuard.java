package dev.ajr.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Login rate limiting: after {@code perUser} failed logins for one user name, or {@code perClient}
 * from one client address, within {@code window}, further tries for that name or from that address
 * are refused until the oldest failure leaves the window. A success clears the name's failures (not
 * the address's: one right password must not reopen guessing at other names).
 *
 * <p>Contract: bounded memory (at most {@link #MAX_KEYS} names and addresses, oldest forgotten
 * first); kept per server process. Thread-safe.
 */
public final class LoginGuard {

  static final int MAX_KEYS = 50_000;

  private final Clock clock;
  private final int perUser;
  private final int perClient;
  private final Duration window;
  private final Map<String, Deque<Instant>> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
          return size() > MAX_KEYS;
        }
      };

  public LoginGuard(Clock clock, int perUser, int perClient, Duration window) {
    this.clock = clock;
    this.perUser = perUser;
    this.perClient = perClient;
    this.window = window;
  }

  /** The defaults: 5 failures per name, 30 per address, in 15 minutes. */
  public static LoginGuard standard(Clock clock) {
    return new LoginGuard(clock, 5, 30, Duration.ofMinutes(15));
  }

  /** How long the caller must wait before trying, or empty when a try is allowed now. */
  public synchronized Optional<Duration> retryAfter(String username, String client) {
    Instant now = clock.instant();
    Duration wait = Duration.ZERO;
    wait = max(wait, waitFor(userKey(username), perUser, now));
    wait = max(wait, waitFor(clientKey(client), perClient, now));
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  public synchronized void failed(String username, String client) {
    Instant now = clock.instant();
    add(userKey(username), now);
    add(clientKey(client), now);
  }

  public synchronized void succeeded(String username) {
    failures.remove(userKey(username));
  }

  /** How many names and addresses are remembered (for tests of the bound). */
  synchronized int trackedKeys() {
    return failures.size();
  }

  private Duration waitFor(String key, int limit, Instant now) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return Duration.ZERO;
    }
    while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
      times.pollFirst();
    }
    if (times.isEmpty()) {
      failures.remove(key);
      return Duration.ZERO;
    }
    if (times.size() < limit) {
      return Duration.ZERO;
    }
    return Duration.between(now, times.peekFirst().plus(window));
  }

  private void add(String key, Instant now) {
    Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    times.addLast(now);
    int cap = Math.max(perUser, perClient);
    while (times.size() > cap) {
      times.pollFirst();
    }
  }

  private static String userKey(String username) {
    return "u:" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
  }

  private static String clientKey(String client) {
    return "c:" + (client == null ? "" : client);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
