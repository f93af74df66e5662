package dev.ajr.slurm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@link ProcessBuilder}, reading both outputs fully (so a chatty command never
 * blocks on a full pipe) and killing commands that outlive their timeout. Thread-safe.
 */
public final class ProcessCommandRunner implements CommandRunner {

  @Override
  public CommandResult run(List<String> command, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new CommandTimeoutException(
          command.get(0) + " did not answer within " + timeout.toSeconds() + " s");
    }
    try {
      return new CommandResult(process.exitValue(), out.get(), err.get());
    } catch (ExecutionException e) {
      throw new IOException("reading the output of " + command.get(0) + " failed", e.getCause());
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      return buffer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
