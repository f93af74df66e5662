package dev.ajr.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.UserStore;

/**
 * Dispatches the KPI, rule and diagnosis, audit, user and settings paths to their route classes;
 * each checks its own roles.
 */
final class AdminRoutes {

  private final KpiRoutes kpis;
  private final RuleRoutes rules;
  private final AuditRoutes audit;
  private final UserRoutes users;
  private final SettingsRoutes settings;

  AdminRoutes(
      AdminEndpoints endpoints, UserStore userStore, Authenticator auth, ObjectMapper json) {
    this.kpis = new KpiRoutes(endpoints.kpis(), endpoints.clock());
    this.rules = new RuleRoutes(endpoints.rules(), json);
    this.audit = new AuditRoutes(endpoints.audit());
    this.users = new UserRoutes(userStore, auth, endpoints.audit(), json);
    this.settings = new SettingsRoutes(endpoints.settings());
  }

  static boolean handles(String path) {
    return KpiRoutes.handles(path)
        || RuleRoutes.handles(path)
        || AuditRoutes.handles(path)
        || UserRoutes.handles(path)
        || SettingsRoutes.handles(path);
  }

  Reply route(HttpExchange ex, Principal caller, String method, String path) {
    if (KpiRoutes.handles(path)) {
      return kpis.route(ex, caller, method);
    }
    if (RuleRoutes.handles(path)) {
      return rules.route(ex, method, path);
    }
    if (AuditRoutes.handles(path)) {
      return audit.route(ex, caller, method);
    }
    if (UserRoutes.handles(path)) {
      return users.route(ex, caller, method, path);
    }
    return settings.route(caller, method);
  }
}
