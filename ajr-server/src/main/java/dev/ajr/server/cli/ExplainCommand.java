package dev.ajr.server.cli;

import dev.ajr.core.detect.FaultWords;
import dev.ajr.core.detect.RepeatCounter;
import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.core.diagnosis.Finding;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.core.diagnosis.RuleMatch;
import dev.ajr.core.json.Json;
import dev.ajr.server.logs.FileFollower;
import dev.ajr.server.rules.LogDiagnosis;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ajr explain FILE [--json]}: the root cause of a whole log, for a person: the root line
 * with context, its cause, action and rule, and why the other findings were not chosen.
 *
 * <p>Memory stays bounded whatever the file: lines are read through a {@link FileFollower} (long
 * lines cut), harmless matches are only counted, at most {@value #KEPT_FINDINGS} other findings are
 * kept (always including the first initiating and the first cascade finding, one of which is the
 * root), and context is kept only around those two.
 */
final class ExplainCommand {

  static final int KEPT_FINDINGS = 1000;
  private static final int CONTEXT = 3;
  private static final int MAX_LINE = 64 * 1024;

  private final RuleEngine engine;

  ExplainCommand(RuleEngine engine) {
    this.engine = engine;
  }

  /** What the scan of a file found. */
  private static final class Scan {
    final List<Finding> findings = new ArrayList<>();
    final Map<String, Integer> counts = new LinkedHashMap<>();
    final RecentLines before = new RecentLines(CONTEXT);
    final Map<Integer, List<String>> context = new LinkedHashMap<>();
    final List<Integer> open = new ArrayList<>();
    final RepeatCounter repeats = new RepeatCounter();
    long lines;
    boolean sawInitiating;
    boolean sawCascade;
  }

  int run(Path file, boolean json, PrintStream out) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no such file: " + file);
    }
    Scan scan = new Scan();
    FileFollower reader = new FileFollower(file, MAX_LINE);
    FileFollower.LineSink sink =
        new FileFollower.LineSink() {
          @Override
          public void line(String text, long number, Instant writtenAt, boolean truncated) {
            consume(scan, text);
          }

          // Most lines hold no literal of a rule: they are only counted and kept as bytes for
          // the context, never decoded (unless a context after a finding is still open).
          @Override
          public boolean wants(byte[] bytes, int offset, int length) {
            return !scan.open.isEmpty() || engine.mayMatch(bytes, offset, length);
          }

          @Override
          public void passed(byte[] bytes, int offset, int length, long number) {
            scan.lines++;
            scan.before.add(bytes, offset, length);
          }
        };
    while (reader.poll(sink, 16 * 1024 * 1024) > 0) {
      // keep reading until the end of the file
    }
    reader.flush(sink);
    Diagnosis d = Diagnoser.decide(scan.findings);
    if (json) {
      printJson(file, scan, d, out);
    } else {
      printText(file, scan, d, out);
    }
    return 0;
  }

  private void consume(Scan scan, String text) {
    int index = (int) Math.min(scan.lines, Integer.MAX_VALUE);
    scan.lines++;
    for (int open : scan.open.isEmpty() ? List.<Integer>of() : List.copyOf(scan.open)) {
      List<String> ctx = scan.context.get(open);
      ctx.add(text);
      if (ctx.size() >= 2 * CONTEXT + 1) {
        scan.open.remove(Integer.valueOf(open));
      }
    }
    Optional<RuleMatch> match = engine.match(text);
    if (match.isPresent() && Diagnoser.counts(scan.repeats, match.get(), index)) {
      RuleMatch m = match.get();
      scan.counts.merge(m.rule().id(), 1, Integer::sum);
      boolean first =
          !m.rule().benign() && (m.rule().cascade() ? !scan.sawCascade : !scan.sawInitiating);
      // Harmless lines are only counted. The first initiating and the first cascade finding are
      // always kept, whatever came before, so the root is never cut off.
      if (!m.rule().benign() && (first || scan.findings.size() < KEPT_FINDINGS)) {
        scan.findings.add(Diagnoser.finding(index, text, m));
      }
      if (first) {
        List<String> ctx = scan.before.texts();
        ctx.add(text);
        scan.context.put(index, ctx);
        scan.open.add(index);
        if (m.rule().cascade()) {
          scan.sawCascade = true;
        } else {
          scan.sawInitiating = true;
        }
      }
    }
    scan.before.add(text);
  }

  private static void printText(Path file, Scan scan, Diagnosis d, PrintStream out) {
    out.println("log: " + file + " (" + scan.lines + " lines)");
    if (d.root().isEmpty()) {
      out.println("no failure found: " + String.join("; ", d.notes()));
      return;
    }
    Finding root = d.root().get();
    out.println("cause:  " + d.cause() + " (" + d.type() + ")");
    out.println("action: " + d.action() + LogDiagnosis.where(d));
    out.println(
        "rule:   "
            + root.rule().id()
            + (root.rule().description().isEmpty() ? "" : ": " + root.rule().description()));
    String where =
        "line "
            + (root.index() + 1)
            + (root.rank() == null ? "" : ", rank " + root.rank())
            + (root.node() != null
                ? ", node " + root.node()
                : d.nodeUnknown() ? ", node unknown" : "")
            + (root.device() == null
                ? ""
                : ", " + FaultWords.devices(d.cause(), List.of(root.device())));
    out.println("root:   " + where);
    List<String> ctx = scan.context.getOrDefault(root.index(), List.of(root.line()));
    int rootAt = ctx.indexOf(root.line());
    for (int i = 0; i < ctx.size(); i++) {
      long number = root.index() + 1 - rootAt + i;
      out.printf("  %s %6d | %s%n", i == rootAt ? ">" : " ", number, ctx.get(i));
    }
    if (!d.notes().isEmpty()) {
      out.println("why not the others:");
      d.notes().stream().limit(20).forEach(n -> out.println("  - " + n));
      if (d.notes().size() > 20) {
        out.println("  - ... and " + (d.notes().size() - 20) + " more");
      }
    }
    out.println("matches by rule: " + scan.counts);
  }

  private static void printJson(Path file, Scan scan, Diagnosis d, PrintStream out)
      throws IOException {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("file", file.toString());
    result.put("lines", scan.lines);
    result.put("cause", d.cause().name());
    result.put("type", d.type() == null ? null : d.type().name());
    result.put("action", d.action().name());
    result.put("nodes", d.nodes());
    result.put("devices", d.devices());
    result.put("nodeUnknown", d.nodeUnknown());
    if (d.root().isPresent()) {
      Finding root = d.root().get();
      result.put("rule", root.rule().id());
      result.put("line", root.line());
      result.put("lineNumber", root.index() + 1);
      result.put("rank", root.rank());
      result.put("node", root.node());
      result.put("device", root.device());
      result.put("context", scan.context.getOrDefault(root.index(), List.of(root.line())));
    } else {
      result.put("rule", null);
      result.put("line", null);
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    for (Finding f : d.findings()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("lineNumber", f.index() + 1);
      item.put("rule", f.rule().id());
      item.put("cause", f.rule().cause().name());
      item.put("cascade", f.rule().cascade());
      item.put("benign", f.rule().benign());
      item.put("rank", f.rank());
      item.put("node", f.node());
      item.put("device", f.device());
      findings.add(item);
    }
    result.put("findings", findings);
    result.put("notes", d.notes());
    result.put("matchesByRule", scan.counts);
    out.println(Json.pretty().writeValueAsString(result));
  }
}
