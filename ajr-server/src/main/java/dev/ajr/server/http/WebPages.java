package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI's files, served from the class path ({@code dev/ajr/server/web/}): {@code
 * /ui/assets/<file>} is that file, and every other {@code /ui/...} path is the one page ({@code
 * index.html}), whose script shows the view the path names.
 *
 * <p>Contract: these files hold no data and need no login; everything they show comes from the
 * authenticated API. Only plain file names are served (no directories, no {@code ..}).
 */
final class WebPages {

  static final String PREFIX = "/ui";
  private static final String ROOT = "/dev/ajr/server/web/";
  private static final Pattern ASSET =
      Pattern.compile("/ui/assets/([a-z0-9-]{1,64}\\.(js|css|svg))");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "html", "text/html; charset=utf-8");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  static boolean handles(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  void serve(HttpExchange ex, String method) throws IOException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new ApiException(405, "method_not_allowed", "use GET");
    }
    String path = ex.getRequestURI().getPath();
    var asset = ASSET.matcher(path);
    String file;
    if (asset.matches()) {
      file = asset.group(1);
    } else if (path.startsWith("/ui/assets/")) {
      throw new ApiException(404, "not_found", "no such file: " + path);
    } else {
      file = "index.html";
    }
    byte[] body = read(file);
    if (body == null) {
      throw new ApiException(404, "not_found", "no such file: " + path);
    }
    String ext = file.substring(file.lastIndexOf('.') + 1);
    ex.getResponseHeaders().add("Content-Type", TYPES.get(ext));
    ex.getResponseHeaders().add("Cache-Control", "no-cache");
    if (method.equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private byte[] read(String file) throws IOException {
    byte[] cached = cache.get(file);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = WebPages.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      cache.put(file, bytes);
      return bytes;
    }
  }
}
