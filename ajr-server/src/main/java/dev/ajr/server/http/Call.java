package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.WebSessions;
import java.util.Map;
import java.util.Optional;

/**
 * One request as a handler sees it: the exchange, the authenticated caller and the path's
 * parameters, already checked against their shapes ({@link PathTemplate.Param}).
 */
final class Call {

  private final HttpExchange exchange;
  private final Callers.Caller caller;
  private final Map<String, String> params;

  /**
   * @param caller who calls, or null on an {@link Access#ANONYMOUS} route
   */
  Call(HttpExchange exchange, Callers.Caller caller, Map<String, String> params) {
    this.exchange = exchange;
    this.caller = caller;
    this.params = Map.copyOf(params);
  }

  HttpExchange exchange() {
    return exchange;
  }

  /**
   * @throws IllegalStateException on an anonymous route, which reads no credentials
   */
  Principal caller() {
    if (caller == null) {
      throw new IllegalStateException("an anonymous route has no caller");
    }
    return caller.principal();
  }

  /** The caller's browser session, when they came with its cookie. */
  Optional<WebSessions.Session> session() {
    return caller == null ? Optional.empty() : Optional.ofNullable(caller.session());
  }

  /** The query parameters, decoded. */
  Map<String, String> query() {
    return RequestParams.query(exchange);
  }

  /** A {@link PathTemplate.Param#ID} parameter, such as {@code {jobId}}. */
  long id(String name) {
    requireParam(name, PathTemplate.Param.ID);
    return Long.parseLong(params.get(name));
  }

  /** A text parameter, such as {@code {node}} or {@code {name}}. */
  String text(String name) {
    PathTemplate.Param kind = PathTemplate.PARAMS.get(name);
    if (kind == null || kind == PathTemplate.Param.ID || !params.containsKey(name)) {
      throw new IllegalArgumentException("the route has no text parameter {" + name + "}");
    }
    return params.get(name);
  }

  private void requireParam(String name, PathTemplate.Param kind) {
    if (PathTemplate.PARAMS.get(name) != kind || !params.containsKey(name)) {
      throw new IllegalArgumentException("the route has no " + kind + " parameter {" + name + "}");
    }
  }
}
