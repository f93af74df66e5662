package dev.ajr.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.json.Json;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns an {@link AjrEvent} into the message published on RabbitMQ: its routing key and its
 * versioned JSON envelope ({@value #SCHEMA}). The shapes are written out field by field, not
 * derived from the records, so a change to a domain record never changes the wire format by
 * accident; docs/events.md describes every type. Thread-safe.
 */
public final class EventMessages {

  /** The envelope's schema; a change that is not backward compatible gets a new version. */
  public static final String SCHEMA = "ajr.event.v1";

  /** One event ready for the outbox: its id, type, routing key and JSON envelope. */
  public record Message(UUID id, String type, String routingKey, String json) {}

  private static final ObjectMapper JSON = Json.MAPPER;

  private EventMessages() {}

  /** The envelope of {@code event}, published at {@code time}, with a new random id. */
  public static Message of(AjrEvent event, Instant time) {
    return of(event, time, UUID.randomUUID());
  }

  static Message of(AjrEvent event, Instant time, UUID id) {
    ObjectNode data = JSON.createObjectNode();
    String type;
    String key;
    switch (event) {
      case AjrEvent.JobDiscovered e -> {
        type = "job.discovered";
        key = "job.discovered";
        job(data, e.job());
      }
      case AjrEvent.AttemptStarted e -> {
        type = "attempt.started";
        key = "attempt.running";
        data.put("attempt", e.index());
        strings(data.putArray("nodes"), e.nodes());
        instant(data, "at", e.at());
      }
      case AjrEvent.AttemptEnded e -> {
        type = "attempt.ended";
        key = "attempt." + lower(e.state());
        data.put("attempt", e.index());
        data.put("state", e.state().name());
        data.put("reason", nz(e.reason()));
        instant(data, "at", e.at());
      }
      case AjrEvent.AnomalyDetected e -> {
        type = "anomaly.detected";
        key = "anomaly.detected." + lower(e.anomaly().cause());
        anomaly(data, e.anomaly());
      }
      case AjrEvent.DecisionMade e -> {
        type = "decision.made";
        key = "decision." + lower(e.decision().operation());
        decision(data, e.decision());
        ArrayNode actions = data.putArray("actions");
        e.actions().forEach(a -> action(actions.addObject(), a));
      }
      case AjrEvent.ActionUpdated e -> {
        type = "action.updated";
        key = "recovery." + lower(e.action().kind()) + "." + lower(e.action().state());
        action(data, e.action());
      }
      case AjrEvent.JobStatusChanged e -> {
        type = "job.status.changed";
        key = "job.status." + lower(e.status());
        data.put("status", e.status().name());
        data.put("reason", nz(e.reason()));
      }
      case AjrEvent.NodeChanged e -> {
        type = "node.changed";
        key = "node." + lower(e.node().health());
        node(data.putObject("node"), e.node());
        nodeEvent(data.putObject("event"), e.event());
      }
    }
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("id", id.toString());
    envelope.put("schema", SCHEMA);
    envelope.put("type", type);
    instant(envelope, "time", time);
    envelope.put("jobId", event.jobId());
    envelope.set("data", data);
    try {
      return new Message(id, type, key, JSON.writeValueAsString(envelope));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the event " + type + " as JSON", e);
    }
  }

  private static void job(ObjectNode o, Job job) {
    o.put("name", nz(job.name()));
    o.put("user", nz(job.user()));
    o.put("partition", nz(job.partition()));
    o.put("workDir", nz(job.workDir()));
    o.put("stdOut", nz(job.stdOut()));
    o.put("stdErr", nz(job.stdErr()));
    o.put("comment", nz(job.comment()));
    ObjectNode directive = o.putObject("directive");
    switch (job.directive()) {
      case DirectiveResult.Valid v -> {
        directive.put("kind", "valid");
        directive.put("mode", v.directive().mode().name());
        if (v.directive().maxRequeueTimes().isPresent()) {
          directive.put("maxRequeueTimes", v.directive().maxRequeueTimes().getAsInt());
        } else {
          directive.putNull("maxRequeueTimes");
        }
      }
      case DirectiveResult.Invalid i -> {
        directive.put("kind", "invalid");
        directive.put("problem", i.problem());
      }
      case DirectiveResult.Absent a -> directive.put("kind", "absent");
    }
    o.put("status", job.status().name());
    o.put("statusReason", nz(job.statusReason()));
    instant(o, "submitTime", job.submitTime());
    instant(o, "firstSeen", job.firstSeen());
    o.put("gpus", job.gpus());
  }

  private static void anomaly(ObjectNode o, Anomaly a) {
    o.put("id", a.id());
    o.put("attempt", a.attemptIndex());
    o.put("anomalyType", a.type().name());
    o.put("cause", a.cause().name());
    o.put("ruleId", nz(a.ruleId()));
    o.put("action", a.action().name());
    o.put("line", nz(a.line()));
    o.put("source", nz(a.source()));
    o.put("lineNumber", a.lineNumber());
    o.put("node", nz(a.node()));
    instant(o, "lineWrittenAt", a.lineWrittenAt());
    instant(o, "lineReadAt", a.lineReadAt());
    instant(o, "detectedAt", a.detectedAt());
    o.put("evidence", a.evidence() == null ? null : a.evidence().name());
  }

  private static void decision(ObjectNode o, Decision d) {
    o.put("id", d.id());
    o.put("attempt", d.attemptIndex());
    o.put("operation", d.operation().name());
    strings(o.putArray("reasons"), d.reasons());
    o.put("anomalyId", d.anomalyId());
    o.put("state", d.state().name());
    o.put("stopsJob", d.stopsJob());
    o.put("stopReason", nz(d.stopReason()));
    instant(o, "createdAt", d.createdAt());
    instant(o, "finishedAt", d.finishedAt());
  }

  private static void action(ObjectNode o, Action a) {
    o.put("id", a.id());
    o.put("decisionId", a.decisionId());
    o.put("seq", a.seq());
    o.put("kind", a.kind().name());
    o.put("targetJobId", a.targetJobId());
    strings(o.putArray("nodes"), a.nodes());
    o.put("state", a.state().name());
    o.put("tries", a.tries());
    o.put("outcome", nz(a.outcome()));
    instant(o, "startedAt", a.startedAt());
    instant(o, "finishedAt", a.finishedAt());
  }

  private static void node(ObjectNode o, NodeRecord n) {
    o.put("name", n.name());
    o.put("health", n.health().name());
    o.put("reason", nz(n.reason()));
    o.put("evidence", nz(n.evidence()));
    o.put("anomalyId", n.anomalyId());
    instant(o, "since", n.since());
  }

  private static void nodeEvent(ObjectNode o, NodeEvent e) {
    o.put("id", e.id());
    o.put("kind", e.kind().name());
    instant(o, "at", e.at());
    o.put("reason", nz(e.reason()));
    o.put("jobId", e.jobId());
    o.put("anomalyId", e.anomalyId());
    o.put("actor", nz(e.actor()));
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void instant(ObjectNode o, String field, Instant value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value.toString());
    }
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
