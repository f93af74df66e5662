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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The rule engine against a plain loop of {@code java.util.regex} {@code find()} over every pattern
 * of the full catalog (in the engine's order, first hit wins), on 100,000 lines of one mix: {@code
 * synthetic} ({@link TrainingLog}, one failure line in about 10,000) or {@code realistic} (the
 * first lines of {@link RealisticTrainingLog}: the job's start-up, heavy in NCCL chatter, then
 * training). One operation matches all the lines; the {@code bytes} and {@code lines} counters give
 * bytes and lines per second (bytes as UTF-8, with the newline; see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEngineBenchmark {

  static final int LINES = 100_000;

  @Param({"synthetic", "realistic"})
  public String mix;

  List<String> log;
  RuleEngine engine;
  List<Pattern> everyPattern;
  long bytes;

  @Setup(Level.Trial)
  public void setUp() {
    log =
        switch (mix) {
          case "synthetic" -> TrainingLog.lines(LINES, 10_000, 42);
          case "realistic" -> RealisticTrainingLog.lines(LINES, 42);
          default -> throw new IllegalArgumentException("unknown mix: " + mix);
        };
    bytes = log.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    engine = RuleCatalog.builtIn().engine();
    System.err.printf(
        "%s log: %d lines, %d bytes; catalog: %d rules%n",
        mix, log.size(), bytes, engine.rules().size());
    // Each pattern's source compiled by java.util.regex, whatever engine the catalog itself uses.
    everyPattern = new ArrayList<>();
    for (Rule rule : engine.rules()) {
      for (var pattern : rule.patterns()) {
        everyPattern.add(Pattern.compile(pattern.source()));
      }
    }
  }

  @Benchmark
  public void ruleEngine(LineVolume volume, Blackhole sink) {
    for (String line : log) {
      sink.consume(engine.match(line));
    }
    count(volume);
  }

  @Benchmark
  public void plainRegexLoop(LineVolume volume, Blackhole sink) {
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
    count(volume);
  }

  private void count(LineVolume volume) {
    volume.add(bytes, log.size());
  }
}
