package dev.ajr.server.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RuleDefinitions;
import dev.ajr.core.diagnosis.RuleEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rule catalog: the built-in rule files shipped in the jar ({@code dev/ajr/core/rules}), then
 * the {@code *.yaml} files of an operator directory, which add rules or replace built-in rules with
 * the same id without a rebuild. A file or rule with a problem is reported (file, rule, problem)
 * and left out; everything else loads.
 */
public final class RuleCatalog {

  /** The loaded rules, the engine over them, and the problems found. */
  public record Loaded(List<Rule> rules, RuleEngine engine, List<String> problems) {}

  private static final String BUILT_IN = "/dev/ajr/core/rules/";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuleCatalog() {}

  /** The built-in rules only. */
  public static Loaded builtIn() {
    return load(null);
  }

  /**
   * @param operatorDir a directory of extra rule files, or null
   */
  public static Loaded load(Path operatorDir) {
    Map<String, Rule> byId = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String name : builtInFiles()) {
      try (InputStream in = RuleCatalog.class.getResourceAsStream(BUILT_IN + name)) {
        if (in == null) {
          problems.add("built-in rule file " + name + " is missing from the jar");
          continue;
        }
        add(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), byId, problems);
      } catch (IOException e) {
        problems.add(name + ": cannot be read: " + e.getMessage());
      }
    }
    if (operatorDir != null) {
      if (!Files.isDirectory(operatorDir)) {
        problems.add(operatorDir + ": the rules directory does not exist");
      } else {
        try (Stream<Path> files = Files.list(operatorDir)) {
          for (Path file : files.filter(RuleCatalog::isYaml).sorted().toList()) {
            try {
              add(file.toString(), Files.readString(file), byId, problems);
            } catch (IOException e) {
              problems.add(file + ": cannot be read: " + e.getMessage());
            }
          }
        } catch (IOException e) {
          problems.add(operatorDir + ": cannot be listed: " + e.getMessage());
        }
      }
    }
    List<Rule> rules = List.copyOf(byId.values());
    return new Loaded(rules, new RuleEngine(rules), problems);
  }

  private static void add(String file, String text, Map<String, Rule> byId, List<String> problems) {
    Object content;
    try {
      content = YAML.readValue(text, Object.class);
    } catch (IOException e) {
      problems.add(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    RuleDefinitions.Parsed parsed = RuleDefinitions.parse(file, content);
    problems.addAll(parsed.problems());
    for (Rule rule : parsed.rules()) {
      byId.put(rule.id(), rule);
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  private static List<String> builtInFiles() {
    try (InputStream in = RuleCatalog.class.getResourceAsStream(BUILT_IN + "index.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
