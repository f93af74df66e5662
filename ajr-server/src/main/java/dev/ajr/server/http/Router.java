package dev.ajr.server.http;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the route of a request: the route whose template matches the path and whose method is the
 * request's; else the methods the path has (a 405 with {@code Allow}); else nothing (404).
 *
 * <p>Immutable and thread-safe. Two routes may not share a method and a template.
 */
final class Router {

  /** What a request's method and path found. */
  sealed interface Match {
    /** Whether the request may be answered without reading credentials. */
    boolean anonymous();
  }

  /** The route, with the path's parameters by name. */
  record Found(Route route, Map<String, String> params) implements Match {
    @Override
    public boolean anonymous() {
      return route.access() == Access.ANONYMOUS;
    }
  }

  /** The path is served, but not with this method. */
  record WrongMethod(Set<String> allowed, boolean anonymous) implements Match {}

  /** No route has this path. */
  record NotFound() implements Match {
    @Override
    public boolean anonymous() {
      return false;
    }
  }

  private final List<Route> routes;

  /**
   * @throws IllegalArgumentException when two routes share a method and a template
   */
  Router(List<Route> routes) {
    Set<String> seen = new LinkedHashSet<>();
    for (Route r : routes) {
      if (!seen.add(r.name())) {
        throw new IllegalArgumentException("the route " + r.name() + " is declared twice");
      }
    }
    this.routes = List.copyOf(routes);
  }

  /** The routes in the order declared. */
  List<Route> routes() {
    return routes;
  }

  Match find(String method, String path) {
    Set<String> allowed = new LinkedHashSet<>();
    boolean anonymous = true;
    for (Route r : routes) {
      Optional<Map<String, String>> params = r.path().match(path);
      if (params.isEmpty()) {
        continue;
      }
      if (r.method().equals(method)) {
        return new Found(r, params.get());
      }
      allowed.add(r.method());
      anonymous &= r.access() == Access.ANONYMOUS;
    }
    return allowed.isEmpty() ? new NotFound() : new WrongMethod(allowed, anonymous);
  }
}
