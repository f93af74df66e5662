package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.detect.Repeat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the parsed content of one rule file (maps and lists, as a YAML or JSON reader gives them)
 * into rules. Pure: reading the file is the caller's job.
 *
 * <p>Contract: a file is {@code {rules: [ {id, cause, type, action, severity, priority, cascade,
 * charged, repeat, literals, patterns, unless, examples: {match, no-match}, description}, ...]}}. A
 * rule with a problem is left out and the problem is reported as "FILE: rule ID: what is wrong";
 * the other rules of the file still load. Each rule is checked against its own examples.
 *
 * <p>{@code charged} (true or false, default true) says whether a recovery after the rule's failure
 * counts against the job's budget; {@code charged: false} marks a failure that is not the job's
 * fault (preemption, node failure) and is allowed only on a rule whose action restarts the job.
 */
public final class RuleDefinitions {

  /** The rules that loaded and the problems of those that did not. */
  public record Parsed(List<Rule> rules, List<String> problems) {}

  private static final Set<String> KEYS =
      Set.of(
          "id",
          "cause",
          "type",
          "action",
          "severity",
          "priority",
          "cascade",
          "charged",
          "repeat",
          "literals",
          "patterns",
          "unless",
          "examples",
          "description");

  private RuleDefinitions() {}

  public static Parsed parse(String file, Object content) {
    List<Rule> rules = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!(content instanceof Map<?, ?> root) || !(root.get("rules") instanceof List<?> list)) {
      problems.add(file + ": expected a top-level \"rules:\" list");
      return new Parsed(rules, problems);
    }
    int index = 0;
    for (Object item : list) {
      index++;
      String where = file + ": rule " + index;
      try {
        if (!(item instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("is not a mapping");
        }
        if (map.get("id") instanceof String id) {
          where = file + ": rule " + id;
        }
        Rule rule = rule(map, file);
        List<String> exampleProblems = checkExamples(rule);
        if (!exampleProblems.isEmpty()) {
          throw new IllegalArgumentException(String.join("; ", exampleProblems));
        }
        rules.add(rule);
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    return new Parsed(rules, problems);
  }

  private static Rule rule(Map<?, ?> map, String file) {
    for (Object key : map.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException("unknown key \"" + key + "\"");
      }
    }
    String id = text(map, "id", true);
    if (!id.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "id \"" + id + "\" must be lowercase letters, digits, '.', '_' or '-'");
    }
    Cause cause = named(Cause.class, text(map, "cause", true), "cause");
    RecoveryAction action = named(RecoveryAction.class, text(map, "action", true), "action");
    String typeText = text(map, "type", false);
    AnomalyType type = typeText == null ? null : named(AnomalyType.class, typeText, "type");
    if (action != RecoveryAction.NONE && type == null) {
      throw new IllegalArgumentException("a rule with action " + action + " needs a type");
    }
    String severityText = text(map, "severity", false);
    Severity severity =
        severityText == null ? Severity.ERROR : named(Severity.class, severityText, "severity");
    int priority = map.get("priority") == null ? 0 : integer(map.get("priority"), "priority");
    boolean cascade = Boolean.TRUE.equals(map.get("cascade"));
    boolean charged = charged(map.get("charged"), action);
    Repeat repeat = repeat(map.get("repeat"));
    List<String> literals = new ArrayList<>();
    for (String literal : strings(map.get("literals"), "literals")) {
      String lower = literal.toLowerCase(Locale.ROOT);
      if (lower.isEmpty() || !lower.chars().allMatch(c -> c < 128)) {
        throw new IllegalArgumentException("literal \"" + literal + "\" must be non-empty ASCII");
      }
      literals.add(lower);
    }
    List<RulePattern> patterns = new ArrayList<>();
    for (String regex : strings(map.get("patterns"), "patterns")) {
      patterns.add(RulePattern.compile(regex));
    }
    List<RulePattern> unless = new ArrayList<>();
    for (String regex : strings(map.get("unless"), "unless")) {
      unless.add(RulePattern.compile(regex));
    }
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("has no patterns");
    }
    List<String> match = List.of();
    List<String> noMatch = List.of();
    if (map.get("examples") instanceof Map<?, ?> examples) {
      match = strings(examples.get("match"), "examples.match");
      noMatch = strings(examples.get("no-match"), "examples.no-match");
    } else if (map.get("examples") != null) {
      throw new IllegalArgumentException("examples must be a mapping with match and no-match");
    }
    if (match.isEmpty()) {
      throw new IllegalArgumentException("needs at least one example under examples.match");
    }
    String description = text(map, "description", false);
    return new Rule(
        id,
        cause,
        type,
        action,
        severity,
        priority,
        cascade,
        charged,
        repeat,
        literals,
        patterns,
        unless,
        match,
        noMatch,
        description == null ? "" : description,
        file);
  }

  /** {@code repeat: {count: N, lines: L}}, or once when absent. */
  private static Repeat repeat(Object value) {
    if (value == null) {
      return Repeat.ONCE;
    }
    if (!(value instanceof Map<?, ?> map)
        || !map.keySet().stream().allMatch(k -> k.equals("count") || k.equals("lines"))) {
      throw new IllegalArgumentException("repeat must be a mapping {count: N, lines: L}");
    }
    int count = integer(map.get("count"), "repeat.count");
    int lines = map.get("lines") == null ? 0 : integer(map.get("lines"), "repeat.lines");
    return new Repeat(count, lines);
  }

  /** Whether the rule's failures are charged to the job's budget: true unless it says false. */
  private static boolean charged(Object value, RecoveryAction action) {
    if (value == null) {
      return true;
    }
    if (!(value instanceof Boolean charged)) {
      throw new IllegalArgumentException("charged must be true or false");
    }
    if (!charged
        && action != RecoveryAction.REQUEUE
        && action != RecoveryAction.REQUEUE_EXCLUDE_NODE) {
      throw new IllegalArgumentException(
          "charged: false needs an action that restarts the job (REQUEUE or REQUEUE_EXCLUDE_NODE),"
              + " not "
              + action);
    }
    return charged;
  }

  /** The rule matches its match examples and none of its no-match examples, on its own. */
  private static List<String> checkExamples(Rule rule) {
    List<String> problems = new ArrayList<>();
    for (String example : rule.matchExamples()) {
      if (!RuleEngine.matchesAlone(rule, example)) {
        problems.add("does not match its example \"" + shorten(example) + "\"");
      }
    }
    for (String example : rule.noMatchExamples()) {
      if (RuleEngine.matchesAlone(rule, example)) {
        problems.add("matches its no-match example \"" + shorten(example) + "\"");
      }
    }
    return problems;
  }

  private static String shorten(String text) {
    return text.length() > 100 ? text.substring(0, 100) + "..." : text;
  }

  private static String text(Map<?, ?> map, String key, boolean required) {
    Object value = map.get(key);
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException("has no " + key);
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return s;
  }

  private static int integer(Object value, String key) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    throw new IllegalArgumentException(key + " must be a whole number");
  }

  private static List<String> strings(Object value, String key) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(key + " must be a list of strings");
    }
    List<String> result = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw new IllegalArgumentException(key + " must be a list of strings");
      }
      result.add(s);
    }
    return result;
  }

  private static <E extends Enum<E>> E named(Class<E> type, String value, String key) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(constant.name());
      }
      throw new IllegalArgumentException(
          "unknown " + key + " \"" + value + "\"; one of " + String.join(", ", names));
    }
  }
}
