package dev.ajr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.notify.NoticeFilter;
import dev.ajr.core.notify.NoticeKind;
import dev.ajr.core.notify.RateLimit;
import dev.ajr.core.notify.Route;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the list {@code notifications.destinations} of mappings. Every error names the file, the
 * destination (by position and name) and the key.
 */
final class NotificationsParser {

  static final List<String> DESTINATION_KEYS =
      List.of(
          "name",
          "type",
          "url",
          "url-file",
          "to",
          "to-owner",
          "events",
          "causes",
          "partitions",
          "digest-window",
          "rate-limit");

  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\S+)");
  static final Pattern ADDRESS = Pattern.compile("[^@\\s,<>]+@[^@\\s,<>]+");

  private NotificationsParser() {}

  /**
   * The destinations of {@code notifications.destinations}; none when it is absent.
   *
   * @param origin the file, which every message starts with
   */
  static List<NotificationsConfig.Destination> destinations(
      JsonNode destinations, String origin, NotificationsConfig.Smtp smtp) {
    List<NotificationsConfig.Destination> list = new ArrayList<>();
    if (destinations == null || destinations.isNull()) {
      return list;
    }
    if (!destinations.isArray()) {
      throw new ConfigException(
          origin
              + ": notifications.destinations must be a list of destinations"
              + " (\"- name: ...\" entries)");
    }
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode d : destinations) {
      NotificationsConfig.Destination dest = destination(d, i, origin, smtp);
      if (!names.add(dest.name())) {
        throw new ConfigException(
            origin
                + ": notifications.destinations: the name \""
                + dest.name()
                + "\" is used twice");
      }
      list.add(dest);
      i++;
    }
    return list;
  }

  private static NotificationsConfig.Destination destination(
      JsonNode d, int index, String origin, NotificationsConfig.Smtp smtp) {
    String where = origin + ": notifications.destinations[" + index + "]";
    if (!d.isObject()) {
      throw new ConfigException(where + " must be a mapping with name, type and its settings");
    }
    for (Map.Entry<String, JsonNode> f : d.properties()) {
      if (!DESTINATION_KEYS.contains(f.getKey())) {
        throw new ConfigException(
            where
                + ": unknown key \""
                + f.getKey()
                + "\"; a destination has "
                + String.join(", ", DESTINATION_KEYS));
      }
    }
    String name = text(d, "name", where);
    if (name.isEmpty()) {
      throw new ConfigException(where + ": name is missing");
    }
    final String at = where + " (" + name + ")";
    return destination(d, at, name, smtp);
  }

  private static NotificationsConfig.Destination destination(
      JsonNode d, String where, String name, NotificationsConfig.Smtp smtp) {
    String typeText = text(d, "type", where);
    NotificationsConfig.Type type =
        switch (typeText) {
          case "slack" -> NotificationsConfig.Type.SLACK;
          case "webhook" -> NotificationsConfig.Type.WEBHOOK;
          case "email" -> NotificationsConfig.Type.EMAIL;
          default ->
              throw new ConfigException(
                  where + ": type must be slack, webhook or email, not \"" + typeText + "\"");
        };
    Set<NoticeKind> kinds = new LinkedHashSet<>();
    for (String k : list(d, "events", where)) {
      kinds.add(
          NoticeKind.byConfigName(k)
              .orElseThrow(() ->
                  new ConfigException(
                      where
                          + ": events: unknown event \""
                          + k
                          + "\"; the events are "
                          + Arrays.stream(NoticeKind.values())
                              .map(NoticeKind::configName)
                              .collect(Collectors.joining(", ")))));
    }
    Set<String> causes = new LinkedHashSet<>();
    for (String c : list(d, "causes", where)) {
      try {
        causes.add(dev.ajr.core.detect.Cause.valueOf(c).name());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            where
                + ": causes: unknown cause \""
                + c
                + "\"; the causes are "
                + Arrays.stream(dev.ajr.core.detect.Cause.values())
                    .map(Enum::name)
                    .collect(Collectors.joining(", ")));
      }
    }
    Set<String> partitions = new LinkedHashSet<>(list(d, "partitions", where));
    Duration window = Duration.ofSeconds(60);
    if (d.has("digest-window")) {
      try {
        window = Durations.parse(text(d, "digest-window", where));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": digest-window: " + e.getMessage());
      }
    }
    RateLimit rate = new RateLimit(20, Duration.ofHours(1));
    if (d.has("rate-limit")) {
      String text = text(d, "rate-limit", where);
      Matcher m = RATE.matcher(text);
      try {
        if (!m.matches()) {
          throw new IllegalArgumentException("x");
        }
        rate = new RateLimit(Integer.parseInt(m.group(1)), Durations.parse(m.group(2)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            where + ": rate-limit must be messages per time, like 20/1h, not \"" + text + "\"");
      }
    }
    URI url = null;
    List<String> to = List.of();
    String owner = null;
    if (type == NotificationsConfig.Type.EMAIL) {
      for (String key : List.of("url", "url-file")) {
        if (d.has(key)) {
          throw new ConfigException(where + ": " + key + " is for slack and webhook, not email");
        }
      }
      to = list(d, "to", where);
      for (String address : to) {
        if (!ADDRESS.matcher(address).matches()) {
          throw new ConfigException(where + ": to: \"" + address + "\" is not an e-mail address");
        }
      }
      if (d.has("to-owner")) {
        owner = text(d, "to-owner", where);
        if (!owner.contains("{user}")
            || !ADDRESS.matcher(owner.replace("{user}", "user")).matches()) {
          throw new ConfigException(
              where
                  + ": to-owner must be an address with {user} for the job's owner, like"
                  + " {user}@example.org, not \""
                  + owner
                  + "\"");
        }
      }
      if (to.isEmpty() && owner == null) {
        throw new ConfigException(where + ": an email destination needs to, to-owner or both");
      }
      if (!smtp.configured()) {
        throw new ConfigException(where + ": an email destination needs notifications.smtp.host");
      }
    } else {
      for (String key : List.of("to", "to-owner")) {
        if (d.has(key)) {
          throw new ConfigException(where + ": " + key + " is for email destinations only");
        }
      }
      url = url(d, where);
    }
    Route route =
        new Route(
            name,
            new NoticeFilter(kinds, causes, partitions),
            type != NotificationsConfig.Type.EMAIL || !to.isEmpty(),
            owner,
            window,
            rate);
    return new NotificationsConfig.Destination(route, type, url, to);
  }

  private static URI url(JsonNode d, String where) {
    String text;
    boolean secret = false;
    if (d.has("url") && d.has("url-file")) {
      throw new ConfigException(where + ": give url or url-file, not both");
    } else if (d.has("url")) {
      text = text(d, "url", where);
    } else if (d.has("url-file")) {
      String file = text(d, "url-file", where);
      try {
        text = Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new ConfigException(where + ": url-file " + file + " cannot be read");
      }
      secret = true;
    } else {
      throw new ConfigException(where + ": url (or url-file) is missing");
    }
    URI url;
    try {
      url = URI.create(text);
    } catch (IllegalArgumentException e) {
      url = null;
    }
    if (url == null
        || url.getHost() == null
        || url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw new ConfigException(
          where
              + ": "
              + (secret ? "the url in url-file" : "url \"" + text + "\"")
              + " is not an http:// or https:// URL");
    }
    return url;
  }

  private static String text(JsonNode d, String key, String where) {
    JsonNode n = d.get(key);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isValueNode()) {
      throw new ConfigException(where + ": " + key + " must be a single value");
    }
    return n.asText().strip();
  }

  private static List<String> list(JsonNode d, String key, String where) {
    JsonNode n = d.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      for (JsonNode item : n) {
        if (!item.isValueNode()) {
          throw new ConfigException(where + ": " + key + " must be a list of words");
        }
        out.add(item.asText().strip());
      }
    } else if (n.isValueNode()) {
      for (String item : n.asText().split(",")) {
        if (!item.isBlank()) {
          out.add(item.strip());
        }
      }
    } else {
      throw new ConfigException(where + ": " + key + " must be a list");
    }
    return out;
  }
}
