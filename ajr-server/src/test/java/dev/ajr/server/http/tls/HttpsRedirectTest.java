package dev.ajr.server.http.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.http.tls.HttpsRedirect.Redirect;
import dev.ajr.server.http.tls.HttpsRedirect.Refuse;
import org.junit.jupiter.api.Test;

class HttpsRedirectTest {

  @Test
  void pagesGoToTheSamePathOnHttpsOfTheHostAsked() {
    assertThat(HttpsRedirect.answer("GET", "/ui/workflows", "ajr.example.org:80", "fallback", 8443))
        .isEqualTo(new Redirect("https://ajr.example.org:8443/ui/workflows"));
    assertThat(HttpsRedirect.answer("HEAD", "/a%20b?x=1&y=2", "ajr.example.org", "fallback", 443))
        .isEqualTo(new Redirect("https://ajr.example.org:443/a%20b?x=1&y=2"));
    assertThat(HttpsRedirect.answer("get", "", "[::1]:8080", "fallback", 8443))
        .isEqualTo(new Redirect("https://[::1]:8443/"));
  }

  @Test
  void aMissingOrStrangeHostHeaderFallsBackToTheServersHost() {
    assertThat(HttpsRedirect.answer("GET", "/", null, "ajr.local", 8443))
        .isEqualTo(new Redirect("https://ajr.local:8443/"));
    assertThat(HttpsRedirect.answer("GET", "/", "evil\r\nSet-Cookie: x=y", "ajr.local", 8443))
        .isEqualTo(new Redirect("https://ajr.local:8443/"));
    assertThat(HttpsRedirect.answer("GET", "/", "user@evil.example", "ajr.local", 8443))
        .isEqualTo(new Redirect("https://ajr.local:8443/"));
  }

  @Test
  void apiCallsPushesAndWritesAreRefused() {
    for (String[] request :
        new String[][] {
          {"GET", "/api/v1/jobs"},
          {"GET", "/api"},
          {"POST", "/loki/api/v1/push"},
          {"GET", "/loki/api/v1/push"},
          {"POST", "/login"},
          {"PUT", "/ui/workflows"},
          {"DELETE", "/"},
          {"GET", "//evil.example/path"}
        }) {
      assertThat(HttpsRedirect.answer(request[0], request[1], "ajr.example.org", "x", 8443))
          .as(request[0] + " " + request[1])
          .isInstanceOfSatisfying(
              Refuse.class, r -> assertThat(r.message()).contains("https://ajr.example.org:8443"));
    }
  }
}
