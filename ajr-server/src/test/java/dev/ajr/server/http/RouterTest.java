package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.auth.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching a request's method and path against the route table. */
class RouterTest {

  private static final Route.Handler NONE = call -> new Reply(204, null);

  private final Router router =
      new Router(
          List.of(
              Route.post("/auth/login", Access.ANONYMOUS, NONE),
              Route.get("/api/v1/jobs", Access.READS_JOBS, NONE),
              Route.get("/api/v1/jobs/facets", Access.READS_JOBS, NONE),
              Route.get("/api/v1/jobs/{jobId}", Access.READS_JOBS, NONE),
              Route.get("/api/v1/tokens", Access.READS_JOBS, NONE),
              Route.post("/api/v1/tokens", Access.READS_JOBS, NONE),
              Route.post("/api/v1/nodes/{node}/undrain", Access.OPERATOR, NONE),
              Route.put("/api/v1/users/{name}", Access.ADMIN, NONE),
              Route.delete("/api/v1/users/{name}", Access.ADMIN, NONE)));

  private Router.Found found(String method, String path) {
    Router.Match match = router.find(method, path);
    assertThat(match).as(method + " " + path).isInstanceOf(Router.Found.class);
    return (Router.Found) match;
  }

  @Test
  void aPathWithParametersFindsItsRouteWithTheValues() {
    Router.Found job = found("GET", "/api/v1/jobs/123456789012345678");
    assertThat(job.route().name()).isEqualTo("GET /api/v1/jobs/{jobId}");
    assertThat(job.params()).isEqualTo(Map.of("jobId", "123456789012345678"));
    assertThat(found("GET", "/api/v1/jobs/facets").route().name())
        .isEqualTo("GET /api/v1/jobs/facets");
    assertThat(found("POST", "/api/v1/nodes/gpu-node_07.rack2/undrain").params())
        .isEqualTo(Map.of("node", "gpu-node_07.rack2"));
    assertThat(found("DELETE", "/api/v1/users/_svc.ci-1").params())
        .isEqualTo(Map.of("name", "_svc.ci-1"));
  }

  @Test
  void aParameterOfTheWrongShapeIsNotFound() {
    for (String path :
        List.of(
            "/api/v1/jobs/abc",
            "/api/v1/jobs/1234567890123456789",
            "/api/v1/jobs/-1",
            "/api/v1/jobs/",
            "/api/v1/nodes/node 1/undrain",
            "/api/v1/nodes/" + "n".repeat(129) + "/undrain",
            "/api/v1/users/Bob",
            "/api/v1/users/1abc")) {
      assertThat(router.find("GET", path)).as(path).isInstanceOf(Router.NotFound.class);
    }
  }

  @Test
  void aPathServedWithOtherMethodsNamesThem() {
    Router.Match tokens = router.find("DELETE", "/api/v1/tokens");
    assertThat(tokens).isEqualTo(new Router.WrongMethod(Set.of("GET", "POST"), false));
    assertThat(((Router.WrongMethod) tokens).allowed()).containsExactly("GET", "POST");
    assertThat(router.find("GET", "/api/v1/users/bob"))
        .isEqualTo(new Router.WrongMethod(Set.of("PUT", "DELETE"), false));
    assertThat(router.find("GET", "/auth/login").anonymous()).isTrue();
    assertThat(router.find("GET", "/nothing").anonymous()).isFalse();
  }

  @Test
  void aRouteDeclaredTwiceOrAnUnknownParameterIsRefused() {
    assertThatThrownBy(() ->
            new Router(
                List.of(
                    Route.get("/api/v1/jobs", Access.READS_JOBS, NONE),
                    Route.get("/api/v1/jobs", Access.ADMIN, NONE))))
        .hasMessageContaining("GET /api/v1/jobs");
    assertThatThrownBy(() -> Route.get("/api/v1/things/{thing}", Access.ADMIN, NONE))
        .hasMessageContaining("{thing}");
  }

  @Test
  void accessLevelsAreNotALadder() {
    var r = Role.values();
    assertThat(List.of(r).stream().filter(Access.READS_JOBS::allows))
        .containsExactlyInAnyOrder(Role.VIEWER, Role.OPERATOR, Role.ADMIN);
    assertThat(List.of(r).stream().filter(Access.SHIPS_LOGS::allows))
        .containsExactlyInAnyOrder(Role.AGENT, Role.OPERATOR, Role.ADMIN);
    assertThat(List.of(r).stream().filter(Access.OPERATOR::allows))
        .containsExactlyInAnyOrder(Role.OPERATOR, Role.ADMIN);
    assertThat(List.of(r).stream().filter(Access.ADMIN::allows)).containsExactly(Role.ADMIN);
    assertThat(List.of(r).stream().filter(Access.ANY_CALLER::allows)).hasSize(r.length);
  }
}
