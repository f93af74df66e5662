package dev.ajr.server.http;

import java.util.List;

/**
 * One route of the API: an HTTP method, a path template, the access it requires, its handler, and
 * the media types its request body may have. Every route is declared in {@link ApiRoutes}.
 *
 * @param bodyTypes the {@code Content-Type}s a body of this route may have (JSON unless declared
 *     otherwise with {@link #accepting}); none of them is one an HTML form can send
 */
record Route(
    String method, PathTemplate path, Access access, Handler handler, List<String> bodyTypes) {

  /** The media type of every request body, unless a route declares others. */
  static final String JSON = "application/json";

  Route {
    bodyTypes = List.copyOf(bodyTypes);
  }

  /**
   * Answers one call. The router has checked the method, the path parameters' shapes and the
   * caller's access; the handler checks what is data (whose job it is) and throws for every
   * refusal: an {@link ApiException}, or any exception {@link Failures} maps to a status.
   */
  @FunctionalInterface
  interface Handler {
    Reply handle(Call call) throws Exception;
  }

  static Route get(String path, Access access, Handler handler) {
    return new Route("GET", new PathTemplate(path), access, handler, List.of(JSON));
  }

  static Route post(String path, Access access, Handler handler) {
    return new Route("POST", new PathTemplate(path), access, handler, List.of(JSON));
  }

  static Route put(String path, Access access, Handler handler) {
    return new Route("PUT", new PathTemplate(path), access, handler, List.of(JSON));
  }

  static Route delete(String path, Access access, Handler handler) {
    return new Route("DELETE", new PathTemplate(path), access, handler, List.of(JSON));
  }

  /**
   * This route, whose body may have these media types (in place of JSON alone).
   *
   * @throws IllegalArgumentException for a type an HTML form can send without the page's script
   *     (form-urlencoded, multipart, text/plain): such a body can come from any site
   */
  Route accepting(String... types) {
    for (String t : types) {
      if (StateChangeGuard.FORM_TYPES.contains(t)) {
        throw new IllegalArgumentException(
            name() + " may not accept " + t + ": any site's HTML form can send it");
      }
    }
    return new Route(method, path, access, handler, List.of(types));
  }

  /** Method and template, as in messages: {@code GET /api/v1/users}. */
  String name() {
    return method + " " + path;
  }
}
