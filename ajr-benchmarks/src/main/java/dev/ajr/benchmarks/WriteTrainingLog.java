package dev.ajr.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a training log of a given size for the {@code ./ajr explain} throughput benchmark:
 *
 * <pre>
 * java -cp ajr-benchmarks.jar dev.ajr.benchmarks.WriteTrainingLog FILE MEGABYTES [MIX]
 * </pre>
 *
 * <p>{@code MIX} is {@code realistic} (the default: {@link RealisticTrainingLog}, a healthy
 * 128-rank job), {@code synthetic} (the short mix of {@link TrainingLog}, without its failure
 * lines) or {@code pathological} ({@link PathologicalTrainingLog}: long lines that make
 * backtracking regular expressions quadratic, among realistic lines). The file holds no failure
 * except one planted segmentation fault as its very last line, so the whole file must be read to
 * find the root. The size is {@code MEGABYTES} MiB, a little less when a long line does not fit at
 * the end. Progress goes to standard error.
 */
public final class WriteTrainingLog {

  private static final String USAGE =
      "usage: WriteTrainingLog FILE MEGABYTES [realistic|synthetic|pathological]";
  private static final long SEED = 7;

  /** Where lines come from, and the failure that ends the file. */
  private interface Mix {
    String next();

    String finalFailure();

    default String summary(long lines) {
      return lines + " lines";
    }
  }

  private WriteTrainingLog() {}

  public static void main(String[] args) throws IOException {
    int status = run(args, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Writes the file the arguments ask for; returns 0, or 2 after a usage message on {@code err}.
   */
  static int run(String[] args, PrintStream err) throws IOException {
    if (args.length < 2 || args.length > 3) {
      return usage(err, "expected 2 or 3 arguments, got " + args.length);
    }
    long megabytes;
    try {
      megabytes = Long.parseLong(args[1]);
    } catch (NumberFormatException e) {
      return usage(err, "MEGABYTES is not a number: " + args[1]);
    }
    if (megabytes < 1) {
      return usage(err, "MEGABYTES must be at least 1: " + megabytes);
    }
    String name = args.length == 3 ? args[2] : "realistic";
    Mix mix =
        switch (name) {
          case "realistic" -> realistic();
          case "synthetic" -> synthetic();
          case "pathological" -> pathological();
          default -> null;
        };
    if (mix == null) {
      return usage(err, "unknown mix: " + name);
    }
    write(Path.of(args[0]), megabytes * 1024 * 1024, mix, name, err);
    return 0;
  }

  private static int usage(PrintStream err, String problem) {
    err.println("WriteTrainingLog: " + problem);
    err.println(USAGE);
    return 2;
  }

  private static void write(Path file, long target, Mix mix, String name, PrintStream err)
      throws IOException {
    byte[] last = (mix.finalFailure() + "\n").getBytes(StandardCharsets.UTF_8);
    long reportEvery = target >= 256L << 20 ? target / 10 : Long.MAX_VALUE;
    long nextReport = reportEvery;
    long written = 0;
    long lines = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      while (true) {
        byte[] line = (mix.next() + "\n").getBytes(StandardCharsets.UTF_8);
        if (written + line.length + last.length > target) {
          if (target - written - last.length > 64 * 1024) {
            continue; // a long line that does not fit: shorter ones follow
          }
          break;
        }
        out.write(line);
        written += line.length;
        lines++;
        if (written >= nextReport) {
          err.printf(Locale.ROOT, "WriteTrainingLog: %d of %d MB%n", written >> 20, target >> 20);
          nextReport += reportEvery;
        }
      }
      out.write(last);
      written += last.length;
      lines++;
    }
    err.printf(
        Locale.ROOT,
        "WriteTrainingLog: %s, %s mix, %d bytes: %s%n",
        file,
        name,
        written,
        mix.summary(lines));
  }

  private static Mix realistic() {
    RealisticTrainingLog log = new RealisticTrainingLog(SEED);
    return new Mix() {
      @Override
      public String next() {
        return log.next();
      }

      @Override
      public String finalFailure() {
        return log.finalFailure();
      }

      @Override
      public String summary(long lines) {
        return lines + " lines; " + shares(log.composition());
      }
    };
  }

  private static Mix synthetic() {
    List<String> block = TrainingLog.lines(50_000, Integer.MAX_VALUE, SEED);
    return new Mix() {
      int at;

      @Override
      public String next() {
        String line = block.get(at);
        at = (at + 1) % block.size();
        return line;
      }

      @Override
      public String finalFailure() {
        return "[rank7]: Rank7: (1) segmentation fault: benchmark";
      }
    };
  }

  private static Mix pathological() {
    PathologicalTrainingLog log = new PathologicalTrainingLog(SEED);
    return new Mix() {
      @Override
      public String next() {
        return log.next();
      }

      @Override
      public String finalFailure() {
        return log.finalFailure();
      }
    };
  }

  /** {@code NCCL_INFO 4.1%, PROGRESS 29.8%, ...}. */
  static String shares(Map<RealisticTrainingLog.Kind, Long> composition) {
    long total = composition.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder b = new StringBuilder();
    for (Map.Entry<RealisticTrainingLog.Kind, Long> e : composition.entrySet()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.getKey())
          .append(' ')
          .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / Math.max(1, total)));
    }
    return b.toString();
  }
}
