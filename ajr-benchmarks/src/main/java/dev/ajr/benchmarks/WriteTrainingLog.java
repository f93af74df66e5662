package dev.ajr.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a training log of a given size for the {@code ./ajr explain} throughput benchmark: {@code
 * java -cp ajr-benchmarks.jar dev.ajr.benchmarks.WriteTrainingLog FILE MEGABYTES}. The failure
 * lines of {@link TrainingLog} are left out except one segmentation fault near the end, so the
 * whole file must be read to find the root.
 */
public final class WriteTrainingLog {

  private WriteTrainingLog() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: WriteTrainingLog FILE MEGABYTES");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    long target = Long.parseLong(args[1]) * 1024 * 1024;
    List<String> block = TrainingLog.lines(50_000, Integer.MAX_VALUE, 7);
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      while (written < target) {
        for (String line : block) {
          out.write(line);
          out.write('\n');
          written += line.length() + 1;
          if (written >= target - 200) {
            break;
          }
        }
      }
      out.write("[rank7]: Rank7: (1) segmentation fault: benchmark\n");
    }
  }
}
