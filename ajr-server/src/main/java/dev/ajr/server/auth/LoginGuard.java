package dev.ajr.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down password guessing without locking anyone out. Failed logins are counted per user name
 * and client address together, and per client address alone. After {@code perUser} failures of one
 * name from one address (or {@code perClient} failures of any names from one address) each further
 * try from there waits: 1 s after the last failure, twice as long after each further failure, at
 * most {@code maxDelay}. A try during the wait is refused before the password is checked (the
 * caller answers 429 with Retry-After) and does not count. Counts are forgotten {@code forgetAfter}
 * after their last failure; a success forgets the name's failures from that address (not the
 * address's: one right password must not reopen guessing at other names).
 *
 * <p>So a right password from another address always works at once, and from the same address once
 * the wait is over: nobody, the administrator included, is ever locked out for longer than {@code
 * maxDelay}. Addresses are what {@code dev.ajr.server.http.ClientNetwork} makes of the request (a
 * trusted proxy's {@code X-Forwarded-For}).
 *
 * <p>Contract: bounded memory (at most {@link #MAX_KEYS} counts, least recently failed forgotten
 * first); kept per server process. Thread-safe.
 */
public final class LoginGuard {

  static final int MAX_KEYS = 50_000;

  /** The wait after the failure that reaches a limit; each further failure doubles it. */
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);

  private final Clock clock;
  private final int perUser;
  private final int perClient;
  private final Duration forgetAfter;
  private final Duration maxDelay;

  private static final class Failures {
    int count;
    Instant last;
  }

  private final Map<String, Failures> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
          return size() > MAX_KEYS;
        }
      };

  /**
   * @param perUser failures of one name from one address before tries from there wait
   * @param perClient failures of any names from one address before tries from there wait
   * @param forgetAfter a count is forgotten this long after its last failure
   * @param maxDelay the longest wait
   */
  public LoginGuard(
      Clock clock, int perUser, int perClient, Duration forgetAfter, Duration maxDelay) {
    if (perUser < 1 || perClient < 1) {
      throw new IllegalArgumentException("a login limit is at least 1 failure");
    }
    this.clock = clock;
    this.perUser = perUser;
    this.perClient = perClient;
    this.forgetAfter = forgetAfter;
    this.maxDelay = maxDelay;
  }

  /** As the five-argument constructor, with waits of at most 30 s. */
  public LoginGuard(Clock clock, int perUser, int perClient, Duration forgetAfter) {
    this(clock, perUser, perClient, forgetAfter, Duration.ofSeconds(30));
  }

  /** The defaults: 3 failures per name and address, 30 per address, forgotten after 15 min. */
  public static LoginGuard standard(Clock clock) {
    return new LoginGuard(clock, 3, 30, Duration.ofMinutes(15));
  }

  /** How long the caller must wait before trying, or empty when a try is allowed now. */
  public synchronized Optional<Duration> retryAfter(String username, String client) {
    Instant now = clock.instant();
    Duration wait = wait(pairKey(username, client), perUser, now);
    Duration forAddress = wait(clientKey(client), perClient, now);
    if (forAddress.compareTo(wait) > 0) {
      wait = forAddress;
    }
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  public synchronized void failed(String username, String client) {
    Instant now = clock.instant();
    add(pairKey(username, client), now);
    add(clientKey(client), now);
  }

  /** Forgets the name's failures from this address. */
  public synchronized void succeeded(String username, String client) {
    failures.remove(pairKey(username, client));
  }

  /** How many counts are remembered (for tests of the bound). */
  synchronized int trackedKeys() {
    return failures.size();
  }

  /** The wait after {@code count} failures, the last of which reached or passed {@code limit}. */
  Duration delay(int count, int limit) {
    if (count < limit) {
      return Duration.ZERO;
    }
    int doublings = Math.min(count - limit, 30);
    Duration d = FIRST_DELAY.multipliedBy(1L << doublings);
    return d.compareTo(maxDelay) > 0 ? maxDelay : d;
  }

  private Duration wait(String key, int limit, Instant now) {
    Failures f = current(key, now);
    if (f == null) {
      return Duration.ZERO;
    }
    Instant until = f.last.plus(delay(f.count, limit));
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }

  private void add(String key, Instant now) {
    Failures f = current(key, now);
    if (f == null) {
      f = new Failures();
      failures.put(key, f);
    }
    f.count = Math.min(f.count + 1, 1_000_000);
    f.last = now;
  }

  /** The key's failures, or null when it has none that are remembered still. */
  private Failures current(String key, Instant now) {
    Failures f = failures.get(key);
    if (f != null && !f.last.plus(forgetAfter).isAfter(now)) {
      failures.remove(key);
      return null;
    }
    return f;
  }

  private static String pairKey(String username, String client) {
    return "u:"
        + (client == null ? "" : client)
        + " "
        + (username == null ? "" : username.toLowerCase(Locale.ROOT));
  }

  private static String clientKey(String client) {
    return "c:" + (client == null ? "" : client);
  }
}
