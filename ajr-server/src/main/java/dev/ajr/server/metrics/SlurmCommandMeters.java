package dev.ajr.server.metrics;

import dev.ajr.slurm.CommandRunner;
import dev.ajr.slurm.rest.RestTransport;
import dev.ajr.slurm.rest.SlurmRestScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times Slurm's commands, counts their failures and the bytes they printed (what ajr reads from
 * Slurm), by command: the program and, for {@code scontrol}, its subcommand ({@code scontrol
 * requeuehold}); and likewise slurmrestd's requests, by their name ({@code rest:jobs}), where an
 * HTTP error status counts as a failed exit. The commands ajr runs are registered at once, and the
 * requests once a transport is timed, so a dashboard shows zero rather than nothing before the
 * first one ran. Thread-safe.
 */
public final class SlurmCommandMeters {

  /** The commands ajr's Slurm adapters run. */
  static final List<String> KNOWN =
      List.of(
          "squeue",
          "scontrol show",
          "scontrol requeuehold",
          "scontrol update",
          "scontrol release",
          "scancel",
          "sinfo",
          "sacct");

  /** Why a command failed. */
  enum Failure {
    EXIT,
    TIMEOUT,
    NOT_RUN;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private record Meters(Timer time, Map<Failure, Counter> failures, Counter output) {}

  private final AjrMeters meters;
  private final Map<String, Meters> byCommand = new ConcurrentHashMap<>();

  SlurmCommandMeters(AjrMeters meters) {
    this.meters = meters;
    KNOWN.forEach(this::of);
  }

  /** {@code runner}, timed: every command it runs is recorded here. */
  public CommandRunner timing(CommandRunner runner) {
    return (command, environment, timeout) -> run(runner, command, environment, timeout);
  }

  private CommandRunner.CommandResult run(
      CommandRunner runner, List<String> command, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    Meters m = of(name(command));
    long start = System.nanoTime();
    try {
      CommandRunner.CommandResult result = runner.run(command, environment, timeout);
      if (!result.ok()) {
        m.failures().get(Failure.EXIT).increment();
      }
      // Characters, not bytes: what Slurm prints here is ASCII but for owners' own text.
      m.output().increment(result.stdout().length() + result.stderr().length());
      return result;
    } catch (CommandRunner.CommandTimeoutException e) {
      m.failures().get(Failure.TIMEOUT).increment();
      throw e;
    } catch (IOException e) {
      m.failures().get(Failure.NOT_RUN).increment();
      throw e;
    } finally {
      m.time().record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** {@code transport}, timed: every request it sends is recorded here under its name. */
  public RestTransport timing(RestTransport transport) {
    SlurmRestScheduler.REQUESTS.forEach(this::of);
    return request -> send(transport, request);
  }

  private RestTransport.Answer send(RestTransport transport, RestTransport.Request request)
      throws IOException, InterruptedException {
    Meters m = of(request.name());
    long start = System.nanoTime();
    try {
      RestTransport.Answer answer = transport.send(request);
      if (answer.status() >= 400) {
        m.failures().get(Failure.EXIT).increment();
      }
      m.output().increment(answer.body().length);
      return answer;
    } catch (HttpTimeoutException e) {
      m.failures().get(Failure.TIMEOUT).increment();
      throw e;
    } catch (IOException e) {
      m.failures().get(Failure.NOT_RUN).increment();
      throw e;
    } finally {
      m.time().record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The command's label: the program's file name, with {@code scontrol}'s subcommand. */
  static String name(List<String> command) {
    if (command.isEmpty()) {
      return "";
    }
    Path file = Path.of(command.get(0)).getFileName();
    String program = file == null ? command.get(0) : file.toString();
    if (program.equals("scontrol") && command.size() > 1) {
      return program + " " + command.get(1);
    }
    return program;
  }

  private Meters of(String command) {
    return byCommand.computeIfAbsent(
        command,
        c -> {
          Map<Failure, Counter> failures = new java.util.EnumMap<>(Failure.class);
          for (Failure f : Failure.values()) {
            failures.put(
                f,
                meters.counter(
                    AjrMeters.SLURM_COMMAND_FAILURES,
                    "Slurm commands that failed",
                    "command",
                    c,
                    "reason",
                    f.label()));
          }
          return new Meters(
              meters.seconds(
                  AjrMeters.SLURM_COMMAND, "how long a Slurm command took", "command", c),
              failures,
              meters.counter(
                  AjrMeters.SLURM_COMMAND_OUTPUT,
                  "what Slurm commands printed, in characters",
                  "command",
                  c));
        });
  }
}
