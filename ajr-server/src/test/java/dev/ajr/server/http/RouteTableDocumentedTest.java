package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ajr.server.store.Database;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route table ({@link ApiRoutes}) and {@code openapi.yaml} describe the same API: every route
 * served is documented, every documented operation is served, and exactly the login form's calls
 * and the health and readiness checks are open to anonymous callers, in both.
 */
class RouteTableDocumentedTest {

  private static final Set<String> OPEN =
      Set.of("GET /healthz", "GET /readyz", "POST /auth/login", "POST /auth/logout");
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  @TempDir Path dir;
  private Database db;
  private List<Route> routes;

  @BeforeEach
  void buildTheTable() {
    db = Database.openSqlite(dir);
    routes = new ApiRoutes(TestApi.on(db, Clock.systemUTC()).parts(), new ObjectMapper()).routes();
  }

  @AfterEach
  void close() {
    db.close();
  }

  /**
   * Each documented operation ("POST /auth/login") with whether it declares {@code security: []}.
   */
  private static Map<String, Boolean> documented() throws Exception {
    JsonNode doc;
    try (InputStream in = ApiServer.class.getResourceAsStream("openapi.yaml")) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    String apiBase = doc.at("/servers/0/url").asText();
    Map<String, Boolean> operations = new java.util.TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      JsonNode servers = path.getValue().get("servers");
      String base = servers == null ? apiBase : servers.get(0).get("url").asText();
      String full = base.replaceAll("/$", "") + path.getKey();
      Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
      while (ops.hasNext()) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (!METHODS.contains(op.getKey())) {
          continue; // servers, parameters, summary...
        }
        JsonNode security = op.getValue().get("security");
        operations.put(
            op.getKey().toUpperCase(Locale.ROOT) + " " + full,
            security != null && security.isArray() && security.isEmpty());
      }
    }
    return operations;
  }

  private Set<String> served() {
    Set<String> names = new TreeSet<>();
    routes.forEach(r -> names.add(r.name()));
    return names;
  }

  @Test
  void everyRouteServedIsDocumented() throws Exception {
    assertThat(documented().keySet()).containsAll(served());
  }

  @Test
  void everyDocumentedOperationIsServed() throws Exception {
    assertThat(served()).containsAll(documented().keySet());
  }

  @Test
  void onlyTheLoginFormsCallsAndTheHealthAndReadinessChecksAreAnonymous() throws Exception {
    Set<String> anonymousRoutes = new TreeSet<>();
    routes.stream()
        .filter(r -> r.access() == Access.ANONYMOUS)
        .forEach(r -> anonymousRoutes.add(r.name()));
    assertThat(anonymousRoutes).isEqualTo(new TreeSet<>(OPEN));

    Set<String> openInTheDocument = new TreeSet<>();
    documented()
        .forEach((op, open) -> {
          if (open) {
            openInTheDocument.add(op);
          }
        });
    assertThat(openInTheDocument).isEqualTo(new TreeSet<>(OPEN));
  }

  @Test
  void theTableIsWhatTheServerServes() throws Exception {
    try (ApiServer server = TestApi.on(db, Clock.systemUTC()).build()) {
      assertThat(server.routes())
          .extracting(Route::name)
          .containsExactlyElementsOf(routes.stream().map(Route::name).toList());
    }
  }
}
