package dev.ajr.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.json.Json;
import dev.ajr.core.notify.Digest;
import dev.ajr.core.notify.DigestText;
import dev.ajr.server.outbound.HttpPoster;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook: {@code {"text": summary, "blocks": [...]}}. {@code text} is the summary
 * (what notifications and old clients show); the blocks repeat it and list the first notices in a
 * code block. Slack's limit of 3,000 characters per text block is kept.
 */
public final class SlackSender implements NotificationSender {

  private static final int BLOCK_LIMIT = 3000;
  private final HttpPoster poster;
  private final ObjectMapper json = Json.MAPPER;

  public SlackSender(URI webhook, Duration timeout) {
    this.poster = new HttpPoster(webhook, timeout);
  }

  @Override
  public void send(Digest digest) throws IOException {
    poster.post(json.writeValueAsBytes(body(digest)));
  }

  static Map<String, Object> body(Digest digest) {
    String summary = DigestText.summary(digest);
    List<Object> blocks = new ArrayList<>();
    blocks.add(section("*ajr*: " + escape(summary)));
    if (!digest.single()) {
      List<String> lines = DigestText.lines(digest);
      if (!lines.isEmpty()) {
        blocks.add(section("```" + escape(String.join("\n", lines)) + "```"));
      }
    }
    return Map.of("text", summary, "blocks", blocks);
  }

  private static Map<String, Object> section(String text) {
    if (text.length() > BLOCK_LIMIT) {
      text = text.substring(0, BLOCK_LIMIT - 6) + "...```";
    }
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text));
  }

  /** Slack's three control characters in mrkdwn. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
