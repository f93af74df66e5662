package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The local dev cluster, as the integration tests use it: real sbatch, real squeue. */
final class SlurmCluster {

  private SlurmCluster() {}

  /**
   * The configuration of a server under test: an ephemeral port, its data under {@code root}, Slurm
   * read twice a second, plus {@code extra}.
   */
  static dev.ajr.server.config.AjrConfig serverConfig(Path root, Map<String, String> extra) {
    Map<String, String> overrides = new java.util.HashMap<>(extra);
    overrides.put("server.port", "0");
    overrides.put("data-dir", root.resolve("data").toString());
    overrides.putIfAbsent("slurm.poll-interval", "500ms");
    return dev.ajr.server.config.ConfigLoader.load(null, overrides);
  }

  /**
   * The options that make a server under test read Slurm through the dev cluster's slurmrestd
   * ({@code slurm.tracking-path: rest}): {@code ./ajr dev-cluster up} runs it on 127.0.0.1:6820
   * with a token for the Slurm user {@code ajr} in {@code
   * $AJR_DEV_CLUSTER_DIR/slurmrestd/ajr.token}. A file named by the system property {@code
   * ajr.it.slurmrestd} may say otherwise, in lines {@code url=...}, {@code user=...} and {@code
   * token-file=...}. Writes still go through Slurm's commands.
   */
  static Map<String, String> restTrackingPath() {
    String stateDir =
        java.util.Objects.requireNonNullElse(
            System.getenv("AJR_DEV_CLUSTER_DIR"), "/var/lib/ajr-dev-cluster");
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("url", "http://127.0.0.1:6820");
    settings.put("user", "ajr");
    settings.put("token-file", stateDir + "/slurmrestd/ajr.token");
    String named = System.getProperty("ajr.it.slurmrestd");
    if (named != null) {
      try {
        for (String line : java.nio.file.Files.readAllLines(Path.of(named))) {
          int eq = line.indexOf('=');
          String key = eq < 0 ? "" : line.substring(0, eq).strip();
          if (settings.containsKey(key)) {
            settings.put(key, line.substring(eq + 1).strip());
          }
        }
      } catch (IOException e) {
        fail("ajr.it.slurmrestd names " + named + ", which cannot be read: " + e.getMessage());
      }
    }
    if (!java.nio.file.Files.isReadable(Path.of(settings.get("token-file")))) {
      fail(
          "no slurmrestd token in "
              + settings.get("token-file")
              + "; ./ajr dev-cluster up starts slurmrestd and writes it");
    }
    return Map.of(
        "slurm.tracking-path", "rest",
        "slurm.rest.url", settings.get("url"),
        "slurm.rest.user", settings.get("user"),
        "slurm.rest.token-file", settings.get("token-file"));
  }

  /** Fails the test run with what to start when the cluster is not up. */
  static void requireRunning() {
    try {
      String nodes = run(Path.of("."), List.of("sinfo", "-h", "-N", "-o", "%N %t"));
      if (!nodes.contains("node1")) {
        fail("the local Slurm cluster has no node1; start it with ./ajr dev-cluster up");
      }
    } catch (IOException | InterruptedException e) {
      fail(
          "the local Slurm cluster is not running ("
              + e.getMessage()
              + "); start it with ./ajr dev-cluster up (as root), or run all tests with ./ajr test");
    }
  }

  /** Submits {@code sbatch ARGS} from the directory; returns the job id. */
  static long sbatch(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sbatch"));
    command.addAll(List.of(args));
    String out = run(dir, command);
    Matcher m = Pattern.compile("Submitted batch job (\\d+)").matcher(out);
    if (!m.find()) {
      throw new IOException("sbatch printed no job id: " + out);
    }
    return Long.parseLong(m.group(1));
  }

  static String run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not answer within 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
    return out;
  }
}
