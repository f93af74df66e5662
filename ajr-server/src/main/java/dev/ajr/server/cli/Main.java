package dev.ajr.server.cli;

import dev.ajr.server.app.AjrServer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ajr} command line (see {@link AjrCommandLine}). Errors print one clear sentence and
 * exit with status 2 (usage) or 1 (could not run); set {@code AJR_DEBUG=1} for stack traces.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    Io io = new Io(out, err, System.in, System.getenv());
    int status = AjrCommandLine.create(io).execute(args.toArray(String[]::new));
    out.flush();
    err.flush();
    return status;
  }

  /** Blocks until the process is asked to stop, then stops the server. */
  static void awaitShutdown(AjrServer server) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              server.close();
              stopped.countDown();
            }));
    stopped.await();
  }
}
