package dev.ajr.server.app;

import dev.ajr.core.job.AttemptState;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.ingest.ExcerptRecorder;
import dev.ajr.server.ingest.LineRouter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower replica does not read Slurm: once a second it takes the active attempts from the
 * shared store instead, so lines that agents and shippers send to it reach the right attempt and
 * excerpt. Confined to the replica thread.
 */
final class FollowerRefresh implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(FollowerRefresh.class);

  private final RecoveryStore store;
  private final LineRouter router;
  private final ExcerptRecorder excerpts;

  FollowerRefresh(RecoveryStore store, LineRouter router, ExcerptRecorder excerpts) {
    this.store = store;
    this.router = router;
    this.excerpts = excerpts;
  }

  @Override
  public void run() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.debug("cannot read the active jobs now: {}", e.toString());
    }
  }

  private void refresh() {
    List<ActiveAttempt> active = new ArrayList<>();
    for (long id : store.activeJobIds()) {
      store
          .job(id)
          .ifPresent(job ->
              store.attempts(id).stream()
                  .reduce((a, b) -> b)
                  .ifPresent(a ->
                      active.add(
                          new ActiveAttempt(
                              id,
                              a.index(),
                              a.state() == AttemptState.RUNNING,
                              job.workDir(),
                              job.stdOut(),
                              job.stdErr(),
                              a.nodes(),
                              a.startTime()))));
    }
    router.update(active);
    excerpts.update(active);
  }
}
