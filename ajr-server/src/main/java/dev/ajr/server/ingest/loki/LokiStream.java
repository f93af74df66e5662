package dev.ajr.server.ingest.loki;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Loki stream: its labels and its entries in the order received.
 *
 * @param labels the stream's label set (name to value), in the order received
 * @param entries the entries, in the order received (Loki pushes and forward queries are oldest
 *     first, but nothing here relies on it)
 */
public record LokiStream(Map<String, String> labels, List<LokiEntry> entries) {

  public LokiStream {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    entries = List.copyOf(entries);
  }
}
