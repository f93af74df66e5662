package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.core.diagnosis.Finding;
import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RulePattern;
import dev.ajr.server.rules.LogDiagnosis;
import dev.ajr.server.rules.RuleCatalog;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/rules}: the rule catalog as loaded; {@code POST /api/v1/diagnose} with {@code
 * {"text": "..."}}: the diagnosis of a pasted log by the same code as {@code ajr classify}.
 *
 * <p>Contract: any role that reads jobs; a body above {@value #MAX_BODY} bytes is refused with 413.
 * Only the rule catalog sees the text: nothing is stored or logged.
 */
final class RuleRoutes {

  static final int MAX_BODY = 1024 * 1024;

  record RuleView(
      String id,
      String cause,
      String type,
      String action,
      String severity,
      String description,
      List<String> patterns) {
    static RuleView of(Rule r) {
      return new RuleView(
          r.id(),
          r.cause().name(),
          r.type() == null ? null : r.type().name(),
          r.action().name(),
          r.severity() == null ? null : r.severity().name(),
          r.description(),
          r.patterns().stream().map(RulePattern::source).toList());
    }
  }

  record FindingView(
      int lineNumber,
      String line,
      String rule,
      String cause,
      String type,
      String action,
      String severity,
      List<String> nodes,
      List<String> devices) {
    static FindingView of(Finding f) {
      Rule r = f.rule();
      return new FindingView(
          f.index() + 1,
          f.line(),
          r.id(),
          r.cause().name(),
          r.type() == null ? null : r.type().name(),
          r.action().name(),
          r.severity() == null ? null : r.severity().name(),
          LogDiagnosis.nodes(f),
          LogDiagnosis.devices(f));
    }
  }

  record DiagnosisView(FindingView root, List<FindingView> findings, String summary) {}

  private final RuleCatalog.Loaded rules;
  private final ObjectMapper json;
  private final HeavyWork heavy;

  /**
   * @param heavy where diagnoses run, off the request threads
   */
  RuleRoutes(RuleCatalog.Loaded rules, ObjectMapper json, HeavyWork heavy) {
    this.rules = rules;
    this.json = json;
    this.heavy = heavy;
  }

  Reply list(Call call) {
    return new Reply(200, Map.of("items", rules.rules().stream().map(RuleView::of).toList()));
  }

  Reply diagnose(Call call) {
    JsonNode body =
        RequestParams.jsonObject(call.exchange(), json, MAX_BODY, "{\"text\": \"<log lines>\"}");
    String text = RequestParams.text(body, "text");
    if (text == null) {
      throw new ApiException(400, "bad_request", "send {\"text\": \"<log lines>\"}");
    }
    Diagnosis d =
        heavy.run(
            call.caller().username(),
            call.exchange().getResponseHeaders(),
            () -> LogDiagnosis.of(rules.engine(), text));
    return new Reply(
        200,
        new DiagnosisView(
            d.root().map(FindingView::of).orElse(null),
            d.findings().stream().map(FindingView::of).toList(),
            LogDiagnosis.summary(d)));
  }
}
