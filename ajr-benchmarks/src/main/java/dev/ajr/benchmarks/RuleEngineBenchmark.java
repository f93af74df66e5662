package dev.ajr.benchmarks;

import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.server.rules.RuleCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second of the rule engine (Aho-Corasick literal prefilter, then regular expressions)
 * against a plain loop of {@code java.util.regex} over every pattern of the full catalog, on the
 * same realistic training log. One operation matches the whole log; divide its bytes by the time
 * for MB/s (the harness prints both: see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEngineBenchmark {

  /** 100,000 lines, one failure line in about 10,000. */
  List<String> log;

  RuleEngine engine;
  List<Pattern> everyPattern;
  long bytes;

  @Setup(Level.Trial)
  public void setUp() {
    log = TrainingLog.lines(100_000, 10_000, 42);
    bytes = log.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    engine = RuleCatalog.builtIn().engine();
    System.err.printf(
        "log: %d lines, %d bytes; catalog: %d rules%n", log.size(), bytes, engine.rules().size());
    everyPattern = new ArrayList<>();
    for (Rule rule : engine.rules()) {
      for (var pattern : rule.patterns()) {
        everyPattern.add(Pattern.compile(pattern.source()));
      }
    }
  }

  @Benchmark
  public void ruleEngine(Blackhole sink) {
    for (String line : log) {
      sink.consume(engine.match(line));
    }
  }

  @Benchmark
  public void plainRegexLoop(Blackhole sink) {
    for (String line : log) {
      Pattern hit = null;
      for (Pattern p : everyPattern) {
        if (p.matcher(line).find()) {
          hit = p;
          break;
        }
      }
      sink.consume(hit);
    }
  }
}
