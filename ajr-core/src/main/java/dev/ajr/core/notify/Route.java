package dev.ajr.core.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One destination's rules: which notices it takes, to whom, how they are gathered and how often it
 * may be sent to.
 *
 * @param name the destination's name, unique
 * @param toFixed notices go to the destination's fixed recipients (a Slack channel, a webhook, the
 *     e-mail addresses listed)
 * @param ownerPattern the owner's address with {@code {user}} for the job's user, or null: each
 *     owner gets a digest of their own jobs only
 * @param window notices within this long after the first are sent as one message (zero: each alone)
 */
public record Route(
    String name,
    NoticeFilter filter,
    boolean toFixed,
    String ownerPattern,
    Duration window,
    RateLimit rateLimit) {

  /** The recipient key of the fixed recipients. */
  public static final String FIXED = "";

  /** The recipients of a notice: {@link #FIXED} and/or the owner's address; empty when none. */
  public List<String> recipients(Notice n) {
    if (!filter.matches(n)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(2);
    if (toFixed) {
      out.add(FIXED);
    }
    if (ownerPattern != null && !n.user().isEmpty()) {
      out.add(ownerPattern.replace("{user}", n.user()));
    }
    return out;
  }
}
