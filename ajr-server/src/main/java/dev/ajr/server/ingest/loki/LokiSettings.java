package dev.ajr.server.ingest.loki;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How {@link LokiSource} follows Loki. Build with {@link #builder}; every field but the base URL
 * and the query prefix has a default.
 *
 * @param baseUrl Loki's address, e.g. {@code http://loki:3100} (a path prefix is kept; credentials
 *     do not belong in it)
 * @param queryPrefix the LogQL stream selector that picks the job logs, e.g. {@code
 *     {appName="slurm-app-log"}}
 * @param lineFilter an optional LogQL line filter appended to the selector, e.g. {@code |~
 *     "error|NCCL"}; null for none
 * @param queryDelay only entries older than now minus this are asked for, so entries that Loki
 *     receives late are not passed by (default 60 s as NVIDIA's reference; a few seconds suits
 *     Promtail or Alloy shipping straight to Loki)
 * @param limit the most entries asked for per query (default 5000, Loki's usual maximum); a full
 *     answer is continued at once
 * @param maxLookBack never ask further back than now minus the delay minus this, on the first start
 *     or after a long outage (default 1 h)
 * @param pollInterval the wait between two rounds of queries (default 1 s)
 * @param maxBackoff the longest wait between attempts while Loki cannot be read (default 30 s)
 * @param maxLineBytes lines longer than this (UTF-8 bytes) are cut (default 64 KiB)
 * @param writtenAtPattern an optional pattern whose first group captures, from a line's text, when
 *     it was written; null for none
 * @param writtenAtZone the zone of written-at timestamps without an offset (default UTC)
 * @param tenant the optional {@code X-Scope-OrgID} header; null for none
 * @param basicAuthUser optional HTTP basic user (with {@code basicAuthPassword}); null for none
 * @param basicAuthPassword the basic-auth password; never logged or printed
 * @param bearerToken an optional bearer token instead of basic auth; never logged or printed
 * @param connectTimeout how long a connection to Loki may take (default 5 s)
 * @param requestTimeout how long one query may take (default 30 s)
 */
public record LokiSettings(
    URI baseUrl,
    String queryPrefix,
    String lineFilter,
    Duration queryDelay,
    int limit,
    Duration maxLookBack,
    Duration pollInterval,
    Duration maxBackoff,
    int maxLineBytes,
    Pattern writtenAtPattern,
    ZoneId writtenAtZone,
    String tenant,
    String basicAuthUser,
    String basicAuthPassword,
    String bearerToken,
    Duration connectTimeout,
    Duration requestTimeout) {

  public static final Duration DEFAULT_QUERY_DELAY = Duration.ofSeconds(60);
  public static final int DEFAULT_LIMIT = 5000;
  public static final Duration DEFAULT_MAX_LOOK_BACK = Duration.ofHours(1);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Checks every field; a wrong one is an {@link IllegalArgumentException} that names it. */
  public LokiSettings {
    Objects.requireNonNull(baseUrl, "loki base URL");
    String scheme = baseUrl.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "the Loki URL must be http://host:port or https://host:port, was " + baseUrl);
    }
    if (baseUrl.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the Loki URL must not hold credentials; set the basic-auth user and password or the"
              + " bearer token instead");
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "the Loki URL must be Loki's base address without a query, was " + baseUrl);
    }
    Objects.requireNonNull(queryPrefix, "loki query prefix");
    queryPrefix = queryPrefix.trim();
    if (!queryPrefix.startsWith("{") || !queryPrefix.contains("}")) {
      throw new IllegalArgumentException(
          "the Loki query prefix must be a LogQL stream selector such as"
              + " {appName=\"slurm-app-log\"}, was: "
              + queryPrefix);
    }
    if (lineFilter != null) {
      lineFilter = lineFilter.trim();
      if (lineFilter.isEmpty()) {
        lineFilter = null;
      } else if (!lineFilter.startsWith("|") && !lineFilter.startsWith("!")) {
        throw new IllegalArgumentException(
            "the Loki line filter must be a LogQL line filter such as |~ \"error|NCCL\", was: "
                + lineFilter);
      }
    }
    requireNotNegative(queryDelay, "query delay");
    requirePositive(maxLookBack, "maximum look-back");
    requirePositive(pollInterval, "poll interval");
    requirePositive(maxBackoff, "maximum back-off");
    requirePositive(connectTimeout, "connect timeout");
    requirePositive(requestTimeout, "request timeout");
    if (limit < 1) {
      throw new IllegalArgumentException("the Loki query limit must be at least 1, was " + limit);
    }
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException(
          "the longest Loki line must be at least 4 bytes, was " + maxLineBytes);
    }
    if (writtenAtPattern != null && writtenAtPattern.matcher("").groupCount() < 1) {
      throw new IllegalArgumentException(
          "the written-at pattern "
              + writtenAtPattern
              + " needs a group (in parentheses) that captures the timestamp");
    }
    Objects.requireNonNull(writtenAtZone, "written-at zone");
    tenant = blankToNull(tenant);
    if (tenant != null && (tenant.indexOf('\r') >= 0 || tenant.indexOf('\n') >= 0)) {
      throw new IllegalArgumentException("the Loki tenant (X-Scope-OrgID) must be one line");
    }
    basicAuthUser = blankToNull(basicAuthUser);
    bearerToken = blankToNull(bearerToken);
    if ((basicAuthUser == null) != (basicAuthPassword == null)) {
      throw new IllegalArgumentException(
          "Loki basic auth needs both a user and a password, or neither");
    }
    if (basicAuthUser != null && bearerToken != null) {
      throw new IllegalArgumentException(
          "give Loki either basic-auth credentials or a bearer token, not both");
    }
  }

  /** Settings with every default, to be changed with the builder's methods. */
  public static Builder builder(URI baseUrl, String queryPrefix) {
    return new Builder(baseUrl, queryPrefix);
  }

  /** The LogQL query sent: the prefix, then the line filter if there is one. */
  public String query() {
    return lineFilter == null ? queryPrefix : queryPrefix + " " + lineFilter;
  }

  /** Without the password and the token. */
  @Override
  public String toString() {
    return "LokiSettings[baseUrl="
        + baseUrl
        + ", query="
        + query()
        + ", queryDelay="
        + queryDelay
        + ", limit="
        + limit
        + ", maxLookBack="
        + maxLookBack
        + ", pollInterval="
        + pollInterval
        + ", maxBackoff="
        + maxBackoff
        + ", maxLineBytes="
        + maxLineBytes
        + ", writtenAtPattern="
        + writtenAtPattern
        + ", writtenAtZone="
        + writtenAtZone
        + ", tenant="
        + tenant
        + ", auth="
        + (basicAuthUser != null
            ? "basic (user " + basicAuthUser + ")"
            : bearerToken != null ? "bearer token" : "none")
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the Loki " + what + " must be positive, was " + d);
    }
  }

  private static void requireNotNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException("the Loki " + what + " must not be negative, was " + d);
    }
  }

  /** Collects settings; {@link #build} checks them. */
  public static final class Builder {
    private final URI baseUrl;
    private final String queryPrefix;
    private String lineFilter;
    private Duration queryDelay = DEFAULT_QUERY_DELAY;
    private int limit = DEFAULT_LIMIT;
    private Duration maxLookBack = DEFAULT_MAX_LOOK_BACK;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private Pattern writtenAtPattern;
    private ZoneId writtenAtZone = ZoneOffset.UTC;
    private String tenant;
    private String basicAuthUser;
    private String basicAuthPassword;
    private String bearerToken;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder(URI baseUrl, String queryPrefix) {
      this.baseUrl = baseUrl;
      this.queryPrefix = queryPrefix;
    }

    public Builder lineFilter(String lineFilter) {
      this.lineFilter = lineFilter;
      return this;
    }

    public Builder queryDelay(Duration queryDelay) {
      this.queryDelay = queryDelay;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder maxLookBack(Duration maxLookBack) {
      this.maxLookBack = maxLookBack;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder maxLineBytes(int maxLineBytes) {
      this.maxLineBytes = maxLineBytes;
      return this;
    }

    /**
     * @param regex a regular expression whose first group captures the timestamp, or null
     * @param zone the zone of timestamps without an offset
     */
    public Builder writtenAt(String regex, ZoneId zone) {
      this.writtenAtPattern = regex == null ? null : compile(regex);
      this.writtenAtZone = zone;
      return this;
    }

    /** Compiled for linear-time matching: every line of every job passes through it. */
    private static Pattern compile(String regex) {
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "the written-at pattern "
                + regex
                + " does not compile: "
                + e.getDescription()
                + " (it is matched in linear time: lookaround and backreferences are not"
                + " supported)");
      }
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder basicAuth(String user, String password) {
      this.basicAuthUser = user;
      this.basicAuthPassword = password;
      return this;
    }

    public Builder bearerToken(String token) {
      this.bearerToken = token;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public LokiSettings build() {
      return new LokiSettings(
          baseUrl,
          queryPrefix,
          lineFilter,
          queryDelay,
          limit,
          maxLookBack,
          pollInterval,
          maxBackoff,
          maxLineBytes,
          writtenAtPattern,
          writtenAtZone,
          tenant,
          basicAuthUser,
          basicAuthPassword,
          bearerToken,
          connectTimeout,
          requestTimeout);
    }
  }
}
