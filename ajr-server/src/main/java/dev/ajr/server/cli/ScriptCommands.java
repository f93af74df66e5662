package dev.ajr.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code dev-cluster} and {@code test}: shell scripts the launcher {@code ./ajr} runs before any
 * Java starts. They are declared here so that {@code --help} (which the launcher hands to Java) and
 * shell completion know them; run from the jar they only say where they run.
 */
final class ScriptCommands {

  private ScriptCommands() {}

  private static int launcherOnly(Io io, String command) {
    io.err()
        .println(
            "ajr: "
                + command
                + " is a script: run it from the repository with ./ajr "
                + command
                + " (scripts/"
                + (command.equals("test") ? "test.sh" : "dev-cluster.sh")
                + ")");
    return 1;
  }

  /** What shell completion offers for the dev cluster's action. */
  static final class Actions extends ArrayList<String> {
    Actions() {
      super(List.of("up", "down", "status"));
    }
  }

  @Command(
      name = "dev-cluster",
      mixinStandardHelpOptions = true,
      description = {
        "up|down|status: a local Slurm cluster of four nodes (node1..node4, partition debug) on"
            + " this host",
        "",
        "Runs scripts/dev-cluster.sh (Debian 12 or Ubuntu; slurm-wlm, slurmdbd and munge,"
            + " installed on the first up as root). No systemd needed. Sized like production:"
            + " 200,000 jobs (MaxJobCount), arrays of 100,000 tasks; accounting (sacct, with job"
            + " comments) by slurmdbd in the local MariaDB (127.0.0.1:3306, root without a"
            + " password), which must be running. scripts/queue-fill.sh fills the queue with held"
            + " jobs.",
        "",
        "Environment: AJR_DEV_CLUSTER_DIR (state: spool, logs, pids; default"
            + " /var/lib/ajr-dev-cluster), AJR_DEV_CLUSTER_WAIT (seconds up waits for the nodes;"
            + " default 60)."
      },
      footerHeading = "%nexamples:%n",
      footer = {"  ./ajr dev-cluster up", "  ./ajr dev-cluster status", "  ./ajr dev-cluster down"})
  static final class DevCluster implements Callable<Integer> {
    private final Io io;

    @Parameters(
        paramLabel = "up|down|status",
        completionCandidates = Actions.class,
        description = {
          "up: install slurm-wlm, slurmdbd and munge if missing, create the accounting database,"
              + " write /etc/slurm/slurm.conf and slurmdbd.conf, start munged, slurmdbd, slurmctld"
              + " and four slurmd; returns when the nodes are ready; safe to repeat",
          "down: stop the daemons up started; packages stay installed; safe to repeat",
          "status: show the daemons and sinfo -N; exit status 0 when the cluster is up"
        })
    String action;

    DevCluster(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return launcherOnly(io, "dev-cluster");
    }
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      customSynopsis = "ajr test [-hV] [MAVEN_ARGUMENT...]",
      description = {
        "bring the dev cluster up and run all tests",
        "",
        "Runs scripts/test.sh: starts MariaDB, PostgreSQL and RabbitMQ when they are installed"
            + " but stopped, brings the dev cluster up, then ./mvnw -B verify with the arguments"
            + " given (unit tests, then the integration tests on the cluster)."
      },
      footerHeading = "%nexamples:%n",
      footer = {
        "  ./ajr test",
        "  ./ajr test -pl ajr-core",
        "  ./ajr test -DskipITs -Dtest=ConfigLoaderTest -Dsurefire.failIfNoSpecifiedTests=false"
      })
  static final class Test implements Callable<Integer> {
    private final Io io;

    @Unmatched List<String> mavenArguments = new ArrayList<>();

    Test(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return launcherOnly(io, "test");
    }
  }
}
