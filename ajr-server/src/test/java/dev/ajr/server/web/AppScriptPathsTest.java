package dev.ajr.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web UI puts names into paths only URL-encoded: a node or user name never becomes a path. */
class AppScriptPathsTest {

  @Test
  void everyNameInALinkOrAnApiPathIsUrlEncoded() throws Exception {
    String script;
    try (InputStream in = getClass().getResourceAsStream("/dev/ajr/server/web/app.js")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("/(nodes|users)/\\$\\{([^}]*)}").matcher(script);
    List<String> inserted = new ArrayList<>();
    while (m.find()) {
      inserted.add(m.group(2));
    }
    assertThat(inserted)
        .hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(expr -> assertThat(expr).startsWith("encodeURIComponent("));
  }
}
