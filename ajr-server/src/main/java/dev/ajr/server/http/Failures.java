package dev.ajr.server.http;

import dev.ajr.core.recovery.Fence;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.server.auth.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where what a handler throws becomes an HTTP status and error code:
 *
 * <ul>
 *   <li>{@link ApiException}: its own status and code;
 *   <li>{@link Directory.Unavailable}: 503 {@code directory_unavailable};
 *   <li>{@link SchedulerException}: 503 when transient (Slurm did not answer), else 400; code
 *       {@code scheduler};
 *   <li>{@link Fence.FencedOut}: 503 {@code not_leader} (another replica acts on Slurm);
 *   <li>{@link InterruptedException}: 503 {@code interrupted} (the thread's interrupt is kept);
 *   <li>anything else: 500 {@code internal}, logged with the request.
 * </ul>
 */
final class Failures {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private Failures() {}

  /**
   * @param request method and path, for the log line of an unexpected failure
   */
  static ApiException toApi(Exception e, String request) {
    return switch (e) {
      case ApiException api -> api;
      case Directory.Unavailable d ->
          new ApiException(
              503,
              "directory_unavailable",
              "the user directory cannot be reached: " + d.getMessage());
      case SchedulerException s ->
          new ApiException(s.transientFailure() ? 503 : 400, "scheduler", s.getMessage());
      case Fence.FencedOut f ->
          new ApiException(
              503,
              "not_leader",
              "this replica does not act on Slurm now (" + f.getMessage() + "); ask the leader");
      case InterruptedException i -> {
        Thread.currentThread().interrupt();
        yield new ApiException(503, "interrupted", "the server is stopping");
      }
      default -> {
        log.warn("request {} failed: {}", request, e.toString());
        yield new ApiException(500, "internal", "the server could not answer: " + e.getMessage());
      }
    };
  }
}
