package dev.ajr.core.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the APS directive from a Slurm job comment, for example {@code {"APS": {"auto_resume_mode":
 * "requeue", "max_requeue_times": 1}}}.
 *
 * <p>Contract: a comment that is empty, or that is not JSON and does not mention {@code APS}, or
 * JSON without an {@code APS} key, has no directive. ajr's own optional key {@code hang_timeout}
 * (whole seconds from 1) sets the job's hang timeout. A comment that mentions {@code APS} but is
 * not valid JSON, an {@code APS} value that is not an object, a missing or unknown {@code
 * auto_resume_mode}, a {@code max_requeue_times} that is not a whole number from 0, and an unknown
 * key under {@code APS} (a typo would otherwise be ignored silently) are invalid, with a message
 * that names the problem. Pure and thread-safe.
 */
public final class DirectiveParser {

  static final Set<String> KNOWN_KEYS =
      Set.of("auto_resume_mode", "max_requeue_times", "hang_timeout");
  private static final ObjectMapper JSON = Json.MAPPER;

  /** Parses one job comment; never throws. */
  public DirectiveResult parse(String comment) {
    if (comment == null || comment.isBlank()) {
      return DirectiveResult.ABSENT;
    }
    String text = comment.strip();
    boolean mentionsAps = text.contains("APS");
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      if (!mentionsAps) {
        return DirectiveResult.ABSENT;
      }
      return new DirectiveResult.Invalid(
          "the job comment mentions APS but is not valid JSON ("
              + e.getOriginalMessage()
              + "); write it as --comment='{\"APS\": {\"auto_resume_mode\": \"requeue\"}}'");
    }
    if (root == null || !root.isObject() || !root.has("APS")) {
      return mentionsAps
          ? new DirectiveResult.Invalid(
              "the job comment mentions APS but has no top-level \"APS\" object")
          : DirectiveResult.ABSENT;
    }
    JsonNode aps = root.get("APS");
    if (!aps.isObject()) {
      return new DirectiveResult.Invalid("\"APS\" must be a JSON object, found " + describe(aps));
    }
    for (Map.Entry<String, JsonNode> field : aps.properties()) {
      String key = field.getKey();
      if (!KNOWN_KEYS.contains(key)) {
        return new DirectiveResult.Invalid(
            "unknown key \""
                + key
                + "\" in APS; known keys: auto_resume_mode, max_requeue_times, hang_timeout");
      }
    }
    JsonNode modeNode = aps.get("auto_resume_mode");
    if (modeNode == null) {
      return new DirectiveResult.Invalid(
          "APS has no \"auto_resume_mode\"; use \"requeue\" or \"singleton_dependency\"");
    }
    if (!modeNode.isTextual()) {
      return new DirectiveResult.Invalid(
          "\"auto_resume_mode\" must be a string, found " + describe(modeNode));
    }
    var mode = AutoResumeMode.fromDirectiveValue(modeNode.textValue());
    if (mode.isEmpty()) {
      return new DirectiveResult.Invalid(
          "unknown auto_resume_mode \""
              + modeNode.textValue()
              + "\"; use \"requeue\" or \"singleton_dependency\"");
    }
    OptionalInt max = OptionalInt.empty();
    JsonNode maxNode = aps.get("max_requeue_times");
    if (maxNode != null) {
      if (!maxNode.isIntegralNumber() || !maxNode.canConvertToInt() || maxNode.intValue() < 0) {
        return new DirectiveResult.Invalid(
            "\"max_requeue_times\" must be a whole number from 0, found " + describe(maxNode));
      }
      max = OptionalInt.of(maxNode.intValue());
    }
    JsonNode hangNode = aps.get("hang_timeout");
    if (hangNode != null
        && (!hangNode.isIntegralNumber()
            || !hangNode.canConvertToInt()
            || hangNode.intValue() < 1)) {
      return new DirectiveResult.Invalid(
          "\"hang_timeout\" must be a whole number of seconds from 1, found " + describe(hangNode));
    }
    return new DirectiveResult.Valid(new Directive(mode.get(), max));
  }

  /**
   * The job's own hang timeout: the optional ajr key {@code hang_timeout} (seconds) of a valid
   * directive. It replaces the administrator's hang thresholds for that job.
   */
  public Optional<Duration> hangTimeout(String comment) {
    if (!(parse(comment) instanceof DirectiveResult.Valid)) {
      return Optional.empty();
    }
    try {
      JsonNode hang = JSON.readTree(comment.strip()).get("APS").get("hang_timeout");
      return hang == null ? Optional.empty() : Optional.of(Duration.ofSeconds(hang.intValue()));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static String describe(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
