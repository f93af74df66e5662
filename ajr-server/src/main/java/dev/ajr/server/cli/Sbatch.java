package dev.ajr.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Submits a batch job with {@code sbatch}, for the demo. */
final class Sbatch {

  private static final Pattern SUBMITTED = Pattern.compile("Submitted batch job (\\d+)");

  private Sbatch() {}

  /** Runs {@code sbatch ARGS} in the directory; returns the job id. */
  static long submit(Path dir, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("sbatch");
    command.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run sbatch ("
              + e.getMessage()
              + "); bring the cluster up with"
              + " ./ajr dev-cluster up",
          e);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("sbatch did not answer within 60 s; is slurmctld running?");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = SUBMITTED.matcher(output);
    if (p.exitValue() != 0 || !m.find()) {
      throw new IOException("sbatch failed: " + output.strip());
    }
    return Long.parseLong(m.group(1));
  }
}
