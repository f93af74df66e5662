package dev.ajr.server.app;

import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.LineClassifier;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.server.cluster.Leadership;
import dev.ajr.server.ingest.LineRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's kernel line that ran into no job (nothing was running there when it was written) is
 * still evidence about the node: classified, and handed to the node isolator by a server that acts.
 * A follower lets it go (it is stored nowhere, so no sweep takes it up) and says so.
 */
final class KernelEvidence implements LineRouter.Unattributed {

  private static final Logger log = LoggerFactory.getLogger(KernelEvidence.class);

  private final LineClassifier classifier;
  private final Leadership leadership;
  private final RecoveryRunner runner;

  KernelEvidence(LineClassifier classifier, Leadership leadership, RecoveryRunner runner) {
    this.classifier = classifier;
    this.leadership = leadership;
    this.runner = runner;
  }

  @Override
  public void onKernelLine(String node, LogLine line) {
    classifier.classify(line.text()).ifPresent(d -> onDetection(node, line, d));
  }

  private void onDetection(String node, LogLine line, Detection d) {
    NodeEvidence evidence =
        new NodeEvidence(
            node,
            0,
            0,
            d.cause(),
            d.ruleId(),
            d.action(),
            line.text(),
            line.evidence(),
            line.readAt());
    if (leadership.acts()) {
      runner.isolate(evidence);
    } else {
      log.info(
          "kernel log of {}: {} while no job ran there; not acted on by a follower",
          evidence.node(),
          evidence.cause());
    }
  }
}
