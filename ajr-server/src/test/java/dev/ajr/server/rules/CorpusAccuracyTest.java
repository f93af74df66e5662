package dev.ajr.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Measures the built-in catalog on the labelled corpora of real excerpts from public GitHub issues
 * (src/test/resources/corpus/README.md): the development set the rules are written against, and a
 * set collected afterwards to check that they generalise. Every excerpt is a test case of its own
 * (action and cause); the summaries print a per-cause table and hold overall accuracy floors.
 */
class CorpusAccuracyTest {

  private static final String DEV = "/corpus/real-logs-dev.jsonl";
  private static final String COLLECTED = "/corpus/real-logs-collected.jsonl";

  private static final double MIN_DEV_ACTION_ACCURACY = 1.0;
  private static final double MIN_DEV_CAUSE_ACCURACY = 1.0;
  private static final double MIN_COLLECTED_ACTION_ACCURACY = 1.0;
  private static final double MIN_COLLECTED_CAUSE_ACCURACY = 1.0;

  private static final Diagnoser DIAGNOSER = new Diagnoser(RuleCatalog.builtIn().engine());

  private record Labelled(String id, String cause, String action, String text) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyExcerpt")
  void excerptIsDiagnosedAsLabelled(Labelled record) {
    Diagnosis d = diagnose(record);
    String root = d.root().map(f -> f.rule().id() + " on: " + f.line().strip()).orElse("none");
    assertThat(d.action().name())
        .as("action of %s (root %s)", record.id(), root)
        .isEqualTo(record.action());
    assertThat(d.cause().name())
        .as("cause of %s (root %s)", record.id(), root)
        .isEqualTo(record.cause());
  }

  @Test
  void noHarmlessExcerptIsActedOn() throws IOException {
    List<Labelled> harmless =
        Stream.concat(corpus(DEV).stream(), corpus(COLLECTED).stream())
            .filter(r -> r.cause().equals("BENIGN"))
            .toList();

    assertThat(harmless).hasSizeGreaterThan(20);
    for (Labelled record : harmless) {
      assertThat(diagnose(record).action().name()).as(record.id()).isEqualTo("NONE");
    }
  }

  @Test
  void idsAreUnique() throws IOException {
    Set<String> ids = new HashSet<>();
    for (Labelled record :
        Stream.concat(corpus(DEV).stream(), corpus(COLLECTED).stream()).toList()) {
      assertThat(ids.add(record.id())).as("duplicate id %s", record.id()).isTrue();
    }
    assertThat(ids).hasSize(107 + 57);
  }

  @Test
  void builtInCatalogDiagnosesTheDevelopmentCorpus() throws IOException {
    List<Labelled> corpus = corpus(DEV);
    assertThat(corpus).hasSize(107);

    assertAccuracy(corpus, MIN_DEV_ACTION_ACCURACY, MIN_DEV_CAUSE_ACCURACY);
  }

  @Test
  void builtInCatalogDiagnosesTheCollectedCorpus() throws IOException {
    List<Labelled> corpus = corpus(COLLECTED);
    assertThat(corpus).hasSize(57);

    assertAccuracy(corpus, MIN_COLLECTED_ACTION_ACCURACY, MIN_COLLECTED_CAUSE_ACCURACY);
  }

  private static void assertAccuracy(
      List<Labelled> corpus, double minActionAccuracy, double minCauseAccuracy) {
    Map<String, int[]> perCause = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    int actionsRight = 0;
    int causesRight = 0;
    for (Labelled record : corpus) {
      Diagnosis d = diagnose(record);
      boolean actionRight = d.action().name().equals(record.action());
      boolean causeRight = d.cause().name().equals(record.cause());
      int[] t = perCause.computeIfAbsent(record.cause(), c -> new int[3]);
      t[0]++;
      if (actionRight) {
        t[1]++;
        actionsRight++;
      }
      if (causeRight) {
        t[2]++;
        causesRight++;
      }
      if (!actionRight || !causeRight) {
        wrong.add(
            String.format(
                "%s expected %s/%s got %s/%s (rule %s)",
                record.id(),
                record.cause(),
                record.action(),
                d.cause(),
                d.action(),
                d.root().map(f -> f.rule().id()).orElse("-")));
      }
    }
    double actionAccuracy = (double) actionsRight / corpus.size();
    double causeAccuracy = (double) causesRight / corpus.size();

    StringBuilder report = new StringBuilder();
    report.append(String.format("%-28s %7s %8s %8s%n", "cause", "records", "action", "cause"));
    perCause.forEach((cause, t) ->
        report.append(
            String.format(
                "%-28s %7d %7.1f%% %7.1f%%%n",
                cause, t[0], 100.0 * t[1] / t[0], 100.0 * t[2] / t[0])));
    report.append(
        String.format(
            "%-28s %7d %7.1f%% %7.1f%%%n",
            "overall", corpus.size(), 100 * actionAccuracy, 100 * causeAccuracy));
    report.append("misclassified: ").append(wrong.isEmpty() ? "none" : "").append('\n');
    wrong.forEach(w -> report.append("  ").append(w).append('\n'));
    System.out.print(report);

    assertThat(actionAccuracy)
        .as("action accuracy%n%s", report)
        .isGreaterThanOrEqualTo(minActionAccuracy);
    assertThat(causeAccuracy)
        .as("cause accuracy%n%s", report)
        .isGreaterThanOrEqualTo(minCauseAccuracy);
  }

  private static Diagnosis diagnose(Labelled record) {
    return DIAGNOSER.diagnose(List.of(record.text().split("\n")));
  }

  static Stream<Named<Labelled>> everyExcerpt() throws IOException {
    return Stream.concat(corpus(DEV).stream(), corpus(COLLECTED).stream())
        .map(r -> Named.of(r.id() + " " + r.cause(), r));
  }

  private static List<Labelled> corpus(String resource) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Labelled> records = new ArrayList<>();
    try (InputStream in = CorpusAccuracyTest.class.getResourceAsStream(resource);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode r = json.readTree(line);
        records.add(
            new Labelled(
                r.get("id").asText(),
                r.get("label").asText(),
                r.get("action").asText(),
                r.get("text").asText()));
      }
    }
    return records;
  }
}
