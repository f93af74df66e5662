package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reading what a request carries: query parameters (whole numbers, ISO-8601 instants, the paging
 * pair: {@code limit}, default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}, and {@code
 * offset}) and a JSON object body of bounded size. Every problem is an {@link ApiException} with a
 * sentence saying what to send.
 */
final class RequestParams {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 250;

  /** A page's bounds, with the API's default and maximum. */
  record Paging(int limit, int offset) {}

  private RequestParams() {}

  /** The query parameters, decoded; a name without {@code =} has the empty value. */
  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> params = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  static Paging paging(Map<String, String> q) {
    return new Paging(
        integer(q, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        integer(q, "offset", 0, 0, Integer.MAX_VALUE));
  }

  /** As {@link #integer}, but an empty value is refused rather than taken as absent. */
  static int strictInteger(Map<String, String> q, String name, int fallback, int min, int max) {
    if ("".equals(q.get(name))) {
      throw new ApiException(400, "bad_request", name + " must be a whole number");
    }
    return integer(q, name, fallback, min, max);
  }

  static int integer(Map<String, String> q, String name, int fallback, int min, int max) {
    String text = q.get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad_request", name + " must be a whole number");
    }
    if (n < min || n > max) {
      throw new ApiException(
          400, "bad_request", name + " must be from " + min + " to " + max + ", not " + n);
    }
    return n;
  }

  /** The earliest time a filter may name. */
  static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

  /** The latest time a filter may name. */
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /**
   * An ISO-8601 instant such as 2026-03-01T10:00:00Z, from the year 0 to 9999, or the fallback when
   * absent or empty. Anything else is a 400 whose message names the parameter and what to send,
   * never the parser's words.
   */
  static Instant instant(Map<String, String> q, String name, Instant fallback) {
    String text = q.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    Instant at;
    try {
      at = Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw badInstant(name);
    }
    if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw badInstant(name);
    }
    return at;
  }

  private static ApiException badInstant(String name) {
    return new ApiException(
        400,
        "bad_request",
        name + " must be an ISO-8601 time from year 0 to 9999, such as 2026-03-01T10:00:00Z");
  }

  /**
   * The body as a JSON object.
   *
   * @param max the most bytes taken; a larger body is refused with 413
   * @param example what to send, for the error message
   */
  static JsonNode jsonObject(HttpExchange ex, ObjectMapper json, int max, String example) {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(max + 1);
    } catch (IOException e) {
      throw new ApiException(400, "bad_request", "the body could not be read");
    }
    if (bytes.length > max) {
      throw new ApiException(
          413, "too_large", "the body is larger than " + max + " bytes; send less");
    }
    JsonNode body;
    try {
      body = json.readTree(bytes);
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      throw new ApiException(400, "bad_request", "the body must be JSON like " + example);
    }
    return body;
  }

  /** A text field of the body, or null when absent; a field of another type is refused. */
  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiException(400, "bad_request", "\"" + field + "\" must be a string");
    }
    return v.asText();
  }
}
