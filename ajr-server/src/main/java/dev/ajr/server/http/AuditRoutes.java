package dev.ajr.server.http;

import dev.ajr.server.store.SqlAuditLog;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit?limit&offset&actor&action&since&until}: a page of the audit trail,
 * newest first.
 *
 * <p>Contract: for operators and administrators ({@link Access#OPERATOR}: the trail names other
 * users); {@code since} is inclusive, {@code until} exclusive.
 */
final class AuditRoutes {

  private final SqlAuditLog audit;

  AuditRoutes(SqlAuditLog audit) {
    this.audit = audit;
  }

  Reply page(Call call) {
    Map<String, String> q = call.query();
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
