package dev.ajr.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.json.Json;
import dev.ajr.core.notify.Digest;
import dev.ajr.core.notify.DigestText;
import dev.ajr.core.notify.Notice;
import dev.ajr.server.outbound.HttpPoster;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic webhook: {@code POST} of the digest as JSON. One event is a digest of one. Fields:
 * {@code destination}, {@code summary}, {@code first}, {@code last}, {@code total}, {@code kinds}
 * (by event name), {@code causes}, {@code failedJobs}, {@code failedNodes}, {@code nodes} (by event
 * name), {@code dropped}, {@code events} (the first ones in full: {@code kind}, {@code at}, {@code
 * jobId}, {@code jobName}, {@code user}, {@code partition}, {@code cause}, {@code node}, {@code
 * text}), {@code omitted} (how many more there were).
 */
public final class WebhookSender implements NotificationSender {

  private final HttpPoster poster;
  private final ObjectMapper json = Json.MAPPER;

  public WebhookSender(URI url, Duration timeout) {
    this.poster = new HttpPoster(url, timeout);
  }

  @Override
  public void send(Digest digest) throws IOException {
    poster.post(json.writeValueAsBytes(body(digest)));
  }

  static Map<String, Object> body(Digest d) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("destination", d.route());
    b.put("summary", DigestText.summary(d));
    b.put("first", d.first().toString());
    b.put("last", d.last().toString());
    b.put("total", d.total());
    Map<String, Integer> kinds = new LinkedHashMap<>();
    d.kinds().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> kinds.put(e.getKey().configName(), e.getValue()));
    b.put("kinds", kinds);
    b.put("causes", d.causes());
    b.put("failedJobs", d.failedJobs());
    b.put("failedNodes", d.failedNodes());
    Map<String, List<String>> nodes = new LinkedHashMap<>();
    d.nodes().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> nodes.put(e.getKey().configName(), e.getValue()));
    b.put("nodes", nodes);
    b.put("dropped", d.dropped());
    List<Map<String, Object>> events = new ArrayList<>();
    for (Notice n : d.notices()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", n.kind().configName());
      e.put("at", n.at().toString());
      e.put("jobId", n.jobId());
      e.put("jobName", n.jobName());
      e.put("user", n.user());
      e.put("partition", n.partition());
      e.put("cause", n.cause());
      e.put("node", n.node());
      e.put("text", n.text());
      events.add(e);
    }
    b.put("events", events);
    b.put("omitted", d.total() - d.notices().size());
    return b;
  }
}
