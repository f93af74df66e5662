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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Measures the built-in catalog on the labelled development corpus (real excerpts from public
 * GitHub issues, src/test/resources/corpus/README.md): the diagnosed action and cause of each
 * excerpt against its labels. Prints a per-cause table and the misclassified records.
 */
class CorpusAccuracyTest {

  private static final double MIN_ACTION_ACCURACY = 0.90;
  private static final double MIN_CAUSE_ACCURACY = 0.85;

  private record Labelled(String id, String cause, String action, String text) {}

  private record Tally(int[] counts) {
    Tally() {
      this(new int[3]);
    }
  }

  @Test
  void builtInCatalogDiagnosesTheDevelopmentCorpus() throws IOException {
    List<Labelled> corpus = corpus();
    assertThat(corpus).hasSize(75);
    Diagnoser diagnoser = new Diagnoser(RuleCatalog.builtIn().engine());

    Map<String, Tally> perCause = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    int actionsRight = 0;
    int causesRight = 0;
    for (Labelled record : corpus) {
      Diagnosis d = diagnoser.diagnose(List.of(record.text().split("\n")));
      boolean actionRight = d.action().name().equals(record.action());
      boolean causeRight = d.cause().name().equals(record.cause());
      int[] t = perCause.computeIfAbsent(record.cause(), c -> new Tally()).counts();
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
    perCause.forEach((cause, tally) -> {
      int[] t = tally.counts();
      report.append(
          String.format(
              "%-28s %7d %7.1f%% %7.1f%%%n",
              cause, t[0], 100.0 * t[1] / t[0], 100.0 * t[2] / t[0]));
    });
    report.append(
        String.format(
            "%-28s %7d %7.1f%% %7.1f%%%n",
            "overall", corpus.size(), 100 * actionAccuracy, 100 * causeAccuracy));
    report.append("misclassified: ").append(wrong.isEmpty() ? "none" : "").append('\n');
    wrong.forEach(w -> report.append("  ").append(w).append('\n'));
    System.out.print(report);

    assertThat(actionAccuracy)
        .as("action accuracy%n%s", report)
        .isGreaterThanOrEqualTo(MIN_ACTION_ACCURACY);
    assertThat(causeAccuracy)
        .as("cause accuracy%n%s", report)
        .isGreaterThanOrEqualTo(MIN_CAUSE_ACCURACY);
  }

  private static List<Labelled> corpus() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Labelled> records = new ArrayList<>();
    try (InputStream in =
            CorpusAccuracyTest.class.getResourceAsStream("/corpus/real-logs-dev.jsonl");
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
