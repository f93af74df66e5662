package dev.ajr.server.cli;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.FirstStartCredentials;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.service.ServiceGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ajr demo}: starts the server, submits the installation guide's verification job to the dev
 * cluster (which {@code ./ajr demo} brings up first), prints the recovery as it happens, then
 * leaves the server running.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "bring the dev cluster and the server up, submit the installation guide's verification job"
          + " and show its recovery as it happens",
      "",
      "./ajr demo brings the dev cluster up first (./ajr dev-cluster up); the server takes the"
          + " same flags as ajr server and keeps running afterwards."
    },
    footerHeading = "%nexamples:%n",
    footer = {"  ./ajr demo", "  ./ajr demo --port 9090 --data-dir /tmp/ajr-demo"})
final class DemoCommand implements Callable<Integer> {

  static final String SCRIPT = "bcm_sbatch_test_requeue.sh";
  static final String JOB_NAME = "ajr-verification-requeue-test";

  private final PrintStream out;
  private final Instant start = Instant.now();

  @Spec CommandSpec spec;

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException, InterruptedException, ServiceGroup.StartFailed {
    return run(ConfigFlags.load(spec));
  }

  int run(AjrConfig config) throws IOException, InterruptedException, ServiceGroup.StartFailed {
    AjrServer server = new AjrServer(config);
    server.start();
    say("ajr server listening on " + server.url());
    Path dir =
        config
            .dataDir()
            .resolve("demo")
            .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
            .toAbsolutePath()
            .normalize();
    Files.createDirectories(dir);
    Path script = dir.resolve(SCRIPT);
    try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/ajr/server/demo/" + SCRIPT)) {
      Files.write(script, in.readAllBytes());
    }
    AtomicLong jobId = new AtomicLong(-1);
    CountDownLatch finished = new CountDownLatch(1);
    server
        .events()
        .subscribe(event -> {
          if (event.jobId() == jobId.get()) {
            describe(event, finished);
          }
        });
    long id = Sbatch.submit(dir, List.of("-J", JOB_NAME, "-p", "debug", SCRIPT));
    jobId.set(id);
    say("submitted the verification job as job " + id + " (in " + dir + ")");
    say("it prints a segmentation fault line after 30 s; ajr should requeue it once, then stop it");
    if (!finished.await(10, TimeUnit.MINUTES)) {
      say("the job has not finished after 10 minutes; see the API for where it stands");
    }
    say("");
    say("ajr keeps running at " + server.url() + " (Ctrl-C stops it)");
    if (!server.adminPasswordNote().isEmpty()) {
      say("log in as " + server.adminPasswordNote());
    }
    Path passwordFile =
        config
            .dataDir()
            .resolve(FirstStartCredentials.ADMIN_PASSWORD_FILE)
            .toAbsolutePath()
            .normalize();
    String password =
        Files.exists(passwordFile) ? "\"$(cat " + passwordFile + ")\"" : "\"$AJR_ADMIN_PASSWORD\"";
    say(
        "the job's history:  curl -u admin:"
            + password
            + " "
            + server.url()
            + "/api/v1/jobs/"
            + id);
    say("its two attempt logs: " + dir + "/" + JOB_NAME + "_" + id + "_*.log");
    say(
        "the dashboard (hover the red triangles): "
            + server.url()
            + "/ui/workflows?q="
            + id
            + " (a browser logs in over HTTPS, or on this machine)");
    Main.awaitShutdown(server);
    return 0;
  }

  private void describe(AjrEvent event, CountDownLatch finished) {
    switch (event) {
      case AjrEvent.JobDiscovered e ->
          say(
              "job "
                  + e.jobId()
                  + " tracked: "
                  + e.job().name()
                  + ", directive "
                  + e.job().comment());
      case AjrEvent.AttemptStarted e ->
          say("attempt " + e.index() + " running on " + String.join(",", e.nodes()));
      case AjrEvent.AttemptEnded e ->
          say(
              "attempt "
                  + e.index()
                  + " "
                  + e.state().name().toLowerCase(Locale.ROOT)
                  + ": "
                  + e.reason());
      case AjrEvent.AnomalyDetected e -> {
        String after = "";
        if (e.anomaly().lineWrittenAt() != null) {
          after =
              " "
                  + Duration.between(e.anomaly().lineWrittenAt(), e.anomaly().detectedAt())
                      .toMillis()
                  + " ms after the line was written";
        }
        say(
            e.anomaly().type()
                + " detected in attempt "
                + e.anomaly().attemptIndex()
                + after
                + ": \""
                + e.anomaly().line()
                + "\" ("
                + e.anomaly().cause()
                + ")");
      }
      case AjrEvent.DecisionMade e ->
          say(
              "decision "
                  + e.decision().operation()
                  + ": "
                  + String.join(
                      "; ", e.decision().reasons().subList(1, e.decision().reasons().size())));
      case AjrEvent.ActionUpdated e -> {
        if (e.action().state() == ActionState.VERIFIED
            || e.action().state() == ActionState.FAILED) {
          say(
              words(e.action().kind())
                  + " job "
                  + e.action().targetJobId()
                  + ": "
                  + e.action().outcome());
        }
      }
      case AjrEvent.JobStatusChanged e -> {
        if (e.status() != JobStatus.RUNNING && e.status() != JobStatus.PENDING
            || !e.reason().isEmpty()) {
          say(
              "job "
                  + e.jobId()
                  + " is "
                  + e.status()
                  + (e.reason().isEmpty() ? "" : ": " + e.reason()));
        }
        if (e.status().isFinal()) {
          finished.countDown();
        }
      }
      case AjrEvent.NodeChanged e ->
          say("node " + e.node().name() + " " + e.node().health() + ": " + e.event().reason());
    }
  }

  private static String words(ActionKind kind) {
    return switch (kind) {
      case REQUEUE_HOLD -> "requeued held";
      case START_NOW -> "start time set to now for";
      case RELEASE -> "released";
      case CANCEL -> "cancelled";
      case EXCLUDE_NODES -> "excluded nodes from";
    };
  }

  private synchronized void say(String text) {
    if (text.isEmpty()) {
      out.println();
      return;
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds, text);
  }
}
