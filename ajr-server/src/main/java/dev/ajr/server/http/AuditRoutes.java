package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.store.SqlAuditLog;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit?limit&offset&actor&action&since&until}: a page of the audit trail,
 * newest first.
 *
 * <p>Contract: operators and administrators only (the trail names other users); {@code since} is
 * inclusive, {@code until} exclusive.
 */
final class AuditRoutes {

  static final String PATH = "/api/v1/audit";

  private final SqlAuditLog audit;

  AuditRoutes(SqlAuditLog audit) {
    this.audit = audit;
  }

  static boolean handles(String path) {
    return path.equals(PATH);
  }

  Reply route(HttpExchange ex, Principal caller, String method) {
    if (!caller.role().seesAllJobs()) {
      throw new ApiException(
          403, "forbidden", "the audit trail is for operators and administrators");
    }
    ApiServer.requireMethod(method, "GET");
    Map<String, String> q = ApiServer.query(ex);
    RequestParams.Paging page = RequestParams.paging(q);
    SqlAuditLog.Filter filter =
        new SqlAuditLog.Filter(
            blankToNull(q.get("actor")),
            blankToNull(q.get("action")),
            RequestParams.instant(q, "since", null),
            RequestParams.instant(q, "until", null));
    List<SqlAuditLog.Entry> items = audit.page(filter, page.limit(), page.offset());
    long total = audit.count(filter);
    return new Reply(
        200,
        new JobViews.Page<>(
            items, (int) Math.min(total, Integer.MAX_VALUE), page.limit(), page.offset()));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
