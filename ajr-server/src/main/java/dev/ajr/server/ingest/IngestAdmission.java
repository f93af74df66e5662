package dev.ajr.server.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Lets a log-sending request go on or refuses it, so that the server pushes back instead of holding
 * requests without bound: the bytes that requests hold at once are bounded server-wide and per
 * source, and each source's bodies are held to an average rate (a token bucket as large as the
 * per-source bound), all as {@link IngestLimits} says.
 *
 * <p>Contract: a {@link Request} counts bytes as they come: {@link Request#received} the body as
 * sent (in flight, and against the source's rate), {@link Request#decoded} what it decompresses to
 * (in flight only). Bytes that would pass a bound are refused with {@link Refused} and not counted;
 * the request is then to be refused whole, and it is given back the rate it took, so a refusal
 * costs its source nothing. {@link Refused#retryAfterSeconds} says when trying again may work (at
 * least 1 s), or {@link Refused#tooLarge} that it never will. Closing a request gives back
 * everything it holds. A source is a name the caller chooses (who sends, from which node); one idle
 * long enough to have its whole rate again is forgotten. Thread-safe.
 */
public final class IngestAdmission {

  /** Bytes that would pass a bound: the request is to be refused whole. */
  public static final class Refused extends RuntimeException {

    private final long retryAfterSeconds;

    private Refused(String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which the same request may pass; 0 when it is {@link #tooLarge}. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    /** Whether the request needs more than a bound allows even on an idle server. */
    public boolean tooLarge() {
      return retryAfterSeconds == 0;
    }
  }

  /** Forget idle sources once there are this many. */
  private static final int SWEEP_AT = 1024;

  private final IngestLimits limits;
  private final Clock clock;
  private final Map<String, Source> sources = new HashMap<>(); // guarded by this
  private long inFlight; // guarded by this
  private long refusals; // guarded by this

  public IngestAdmission(IngestLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** A request of {@code source}, holding nothing yet. */
  public synchronized Request open(String source) {
    Source s = sources.get(source);
    if (s == null) {
      if (sources.size() >= SWEEP_AT) {
        forgetIdle(now());
      }
      s =
          new Source(
              new TokenBucket(
                  limits.maxInFlightBytesPerSource(), limits.bytesPerSecondPerSource(), now()));
      sources.put(source, s);
    }
    s.requests++;
    return new Request(source, s);
  }

  /** Bytes all requests hold now. */
  public synchronized long inFlight() {
    return inFlight;
  }

  /** Requests refused since the start (not counting those too large). */
  public synchronized long refusals() {
    return refusals;
  }

  /** One request's share; not to be shared between threads. */
  public final class Request implements AutoCloseable {

    private final String source;
    private final Source state;
    private long held;
    private long rateTaken;
    private boolean closed;

    private Request(String source, Source state) {
      this.source = source;
      this.state = state;
    }

    /**
     * Counts {@code n} more bytes of the body as sent.
     *
     * @throws Refused when they would pass a bound or the source's rate
     */
    public void received(long n) {
      take(this, n, true);
    }

    /**
     * Counts {@code n} more bytes that the body decompresses to.
     *
     * @throws Refused when they would pass a bound
     */
    public void decoded(long n) {
      take(this, n, false);
    }

    /** Bytes this request holds. */
    public long held() {
      synchronized (IngestAdmission.this) {
        return held;
      }
    }

    @Override
    public void close() {
      release(this);
    }
  }

  private static final class Source {
    final TokenBucket rate;
    long inFlight;
    int requests;

    Source(TokenBucket rate) {
      this.rate = rate;
    }
  }

  private synchronized void take(Request r, long n, boolean counted) {
    if (r.closed) {
      throw new IllegalStateException("the request is closed");
    }
    if (n <= 0) {
      return;
    }
    long needs = r.held + n;
    if (needs > limits.maxInFlightBytesPerSource() || needs > limits.maxInFlightBytes()) {
      throw refuse(
          r,
          "the request needs "
              + needs
              + " bytes at once (its body as sent and decompressed), more than the server takes"
              + " from one request ("
              + Math.min(limits.maxInFlightBytesPerSource(), limits.maxInFlightBytes())
              + " bytes: ingest.max-bytes-in-flight-per-source, ingest.max-bytes-in-flight); send"
              + " smaller batches",
          0);
    }
    long now = now();
    long rateWait = counted ? r.state.rate.take(n, now) : 0;
    if (r.state.inFlight + n > limits.maxInFlightBytesPerSource()) {
      giveBackRate(r, n, counted && rateWait == 0, now);
      throw refuse(
          r,
          "this sender's requests being handled already hold "
              + r.state.inFlight
              + " bytes (ingest.max-bytes-in-flight-per-source is "
              + limits.maxInFlightBytesPerSource()
              + "); wait for their answers, or try again after Retry-After",
          Math.max(1, seconds(rateWait)));
    }
    if (inFlight + n > limits.maxInFlightBytes()) {
      giveBackRate(r, n, counted && rateWait == 0, now);
      throw refuse(
          r,
          "the server is busy with other log requests ("
              + inFlight
              + " bytes; ingest.max-bytes-in-flight is "
              + limits.maxInFlightBytes()
              + "); try again after Retry-After",
          Math.max(1, seconds(rateWait)));
    }
    if (rateWait > 0) {
      giveBackRate(r, 0, false, now);
      throw refuse(
          r,
          "this sender sends more than ingest.max-bytes-per-second-per-source ("
              + limits.bytesPerSecondPerSource()
              + " bytes a second, on average); try again after Retry-After",
          seconds(rateWait));
    }
    if (counted) {
      r.rateTaken += n;
    }
    r.held += n;
    r.state.inFlight += n;
    inFlight += n;
  }

  /** Gives back this request's rate (and the {@code n} just taken, when {@code justTaken}). */
  private void giveBackRate(Request r, long n, boolean justTaken, long now) {
    r.state.rate.giveBack(r.rateTaken + (justTaken ? n : 0), now);
    r.rateTaken = 0;
  }

  private Refused refuse(Request r, String message, long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      refusals++;
    }
    return new Refused(message, retryAfterSeconds);
  }

  private synchronized void release(Request r) {
    if (r.closed) {
      return;
    }
    r.closed = true;
    r.state.inFlight -= r.held;
    inFlight -= r.held;
    r.held = 0;
    r.state.requests--;
    if (r.state.requests == 0 && r.state.rate.full(now())) {
      sources.remove(r.source, r.state);
    }
  }

  private void forgetIdle(long now) {
    for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
      Source s = it.next();
      if (s.requests == 0 && s.rate.full(now)) {
        it.remove();
      }
    }
  }

  /** Whole seconds, rounded up; {@link Long#MAX_VALUE} nanoseconds (never) stays 0. */
  private static long seconds(long nanos) {
    if (nanos == Long.MAX_VALUE) {
      return 0;
    }
    return (nanos + 999_999_999) / 1_000_000_000;
  }

  private long now() {
    Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000 + t.getNano();
  }
}
