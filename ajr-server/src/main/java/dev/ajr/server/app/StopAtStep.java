package dev.ajr.server.app;

import dev.ajr.core.recovery.StepProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The test-only switch of the fault-injection tests: with {@code AJR_TEST_STOP_AT=STEP} (a {@link
 * StepProbe} step such as {@code REQUEUE_HOLD.sent}) the first recovery to reach that step writes
 * {@code <data-dir>/stopped-at-STEP} and waits there for ever, so the test can kill ajr with
 * SIGKILL at exactly that point. Unset (always, outside those tests) it does nothing.
 */
final class StopAtStep implements StepProbe {

  static final String VARIABLE = "AJR_TEST_STOP_AT";

  private final String step;
  private final Path marker;
  private final AtomicBoolean reached = new AtomicBoolean();

  private StopAtStep(String step, Path dataDir) {
    this.step = step;
    this.marker = dataDir.resolve("stopped-at-" + step);
  }

  static StepProbe fromEnvironment(Path dataDir) {
    String step = System.getenv(VARIABLE);
    return step == null || step.isBlank() ? StepProbe.NONE : new StopAtStep(step.strip(), dataDir);
  }

  @Override
  public void reached(String at) {
    if (!at.equals(step) || !reached.compareAndSet(false, true)) {
      return;
    }
    try {
      Files.writeString(marker, at + "\n");
      while (true) {
        Thread.sleep(Long.MAX_VALUE); // held here until the test kills the process
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + marker, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
