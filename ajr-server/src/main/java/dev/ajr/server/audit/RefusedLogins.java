package dev.ajr.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Audits refused logins (a wrong password, or a try during the login throttle's wait) as one row
 * per client address, kind and minute, with a count, rather than a row per try: a guessing client
 * cannot flood the trail. The row names the first {@value #NAMES_SHOWN} user names tried in that
 * minute.
 *
 * <p>Contract: actions {@value #FAILED} and {@value #THROTTLED}, actor {@value #ACTOR}, target
 * {@code address:<address>}; the row's time is the start of its minute. Never throws (as {@link
 * AuditLog#record}). Memory: the current minute's windows only, at most {@value #MAX_WINDOWS}.
 * Thread-safe.
 */
public final class RefusedLogins {

  public static final String FAILED = "login.failed";
  public static final String THROTTLED = "login.refused";
  public static final String ACTOR = "anonymous";
  static final int NAMES_SHOWN = 5;
  static final int MAX_WINDOWS = 10_000;
  private static final int MAX_NAME = 64;

  private record Key(String action, String address, Instant minute) {}

  private final AuditLog audit;
  private final Clock clock;
  private final Map<Key, Set<String>> names = new HashMap<>();

  public RefusedLogins(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  /** A wrong user name or password from this address. */
  public void failed(String address, String username) {
    count(FAILED, address, username, "failed logins");
  }

  /** A try refused because the address (or the name from it) must wait. */
  public void throttled(String address, String username) {
    count(THROTTLED, address, username, "logins refused while the throttle made them wait");
  }

  private void count(String action, String address, String username, String what) {
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    String detail;
    synchronized (this) {
      names.keySet().removeIf(k -> !k.minute().equals(minute));
      if (names.size() >= MAX_WINDOWS) {
        names.clear();
      }
      Set<String> tried =
          names.computeIfAbsent(new Key(action, address, minute), k -> new LinkedHashSet<>());
      if (tried.size() < NAMES_SHOWN) {
        tried.add(shown(username));
      }
      detail = what + " from " + address + "; names tried: " + String.join(", ", tried);
    }
    audit.recordRepeated(ACTOR, action, "address:" + address, detail, minute);
  }

  private static String shown(String username) {
    if (username == null || username.isEmpty()) {
      return "(none)";
    }
    String s = username.replaceAll("\\p{Cntrl}", "?");
    return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) + "..." : s;
  }
}
