package dev.ajr.server.http;

/**
 * One route of the API: an HTTP method, a path template, the access it requires and its handler.
 * Every route is declared in {@link ApiRoutes}.
 */
record Route(String method, PathTemplate path, Access access, Handler handler) {

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
    return new Route("GET", new PathTemplate(path), access, handler);
  }

  static Route post(String path, Access access, Handler handler) {
    return new Route("POST", new PathTemplate(path), access, handler);
  }

  static Route put(String path, Access access, Handler handler) {
    return new Route("PUT", new PathTemplate(path), access, handler);
  }

  static Route delete(String path, Access access, Handler handler) {
    return new Route("DELETE", new PathTemplate(path), access, handler);
  }

  /** Method and template, as in messages: {@code GET /api/v1/users}. */
  String name() {
    return method + " " + path;
  }
}
