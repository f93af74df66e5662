package dev.ajr.slurm.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.json.Json;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.slurm.SqueueJsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads slurmrestd's answers of {@code openapi/v0.0.38}: an object of {@code meta}, {@code errors}
 * and, for the job requests, {@code jobs}, whose job objects are those of {@code squeue --json}
 * (read by {@link SqueueJsonParser}) and get their output paths from {@link OutputPaths}. A listing
 * is read job by job from the bytes, so a large one is never held as a whole JSON tree. Pure.
 */
final class RestAnswers {

  /** One entry of {@code errors}: Slurm's error number (0 when none) and its words. */
  record SlurmError(int number, String text) {}

  /** What an answer holds. */
  record Parsed(List<SchedulerJob> jobs, List<SlurmError> errors) {}

  private RestAnswers() {}

  /**
   * @throws IOException when the body is not a JSON object
   */
  static Parsed read(byte[] body) throws IOException {
    List<SchedulerJob> jobs = new ArrayList<>();
    List<SlurmError> errors = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("it is not a JSON object: " + start(body));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("jobs") && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode job = p.readValueAsTree();
            String[] paths = OutputPaths.of(job);
            jobs.add(SqueueJsonParser.toJob(job).withOutputs(paths[0], paths[1]));
          }
        } else if (field.equals("errors") && value == JsonToken.START_ARRAY) {
          JsonNode list = p.readValueAsTree();
          list.forEach(e -> errors.add(error(e)));
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new IOException("it is not JSON: " + start(body), e);
    }
    return new Parsed(jobs, errors);
  }

  /** The errors of a body, or none when it is not JSON (slurmrestd's 401 is plain text). */
  static List<SlurmError> errors(byte[] body) {
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      List<SlurmError> errors = new ArrayList<>();
      if (root != null) {
        root.path("errors").forEach(e -> errors.add(error(e)));
      }
      return errors;
    } catch (IOException e) {
      return List.of();
    }
  }

  private static SlurmError error(JsonNode e) {
    List<String> words = new ArrayList<>();
    for (String field : List.of("error", "description")) {
      String text = e.path(field).asText("").strip();
      if (!text.isEmpty() && !words.contains(text)) {
        words.add(text);
      }
    }
    return new SlurmError(e.path("error_number").asInt(0), String.join(": ", words));
  }

  /** The start of a body, on one line, for a message. */
  static String start(byte[] body) {
    int n = Math.min(body.length, 300);
    String text = new String(body, 0, n, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return "(nothing)";
    }
    return body.length > n ? text + "..." : text;
  }
}
