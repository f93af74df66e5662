package dev.ajr.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.core.testing.MemoryNodeStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeIsolatorTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String XID = "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.";

  private final MemoryNodeStore store = new MemoryNodeStore();
  private final MemoryNodeControl slurm = new MemoryNodeControl("node1", "node2", "node3", "node4");
  private final List<AjrEvent> published = new ArrayList<>();
  private final List<String> repairs = new ArrayList<>();
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  private NodeIsolator isolator(boolean observe, NodeIsolator.RepairService repair) {
    return isolator(observe, repair, NodeSettings.DEFAULTS);
  }

  private NodeIsolator isolator(
      boolean observe, NodeIsolator.RepairService repair, NodeSettings settings) {
    return new NodeIsolator(
        store,
        slurm,
        published::add,
        clock,
        d -> {},
        settings,
        () -> observe,
        repair,
        Duration.ofSeconds(30),
        dev.ajr.core.recovery.Fence.NONE);
  }

  private static NodeEvidence kernelXid(String node, long job) {
    return new NodeEvidence(
        node,
        job,
        job * 10,
        Cause.GPU_HARDWARE,
        "gpu.xid.hardware",
        RecoveryAction.REQUEUE_EXCLUDE_NODE,
        XID,
        Evidence.KERNEL_LOG,
        T0);
  }

  private static NodeEvidence printedXid(String node, long job) {
    return new NodeEvidence(
        node,
        job,
        job * 10,
        Cause.GPU_HARDWARE,
        "gpu.xid.reported",
        RecoveryAction.REQUEUE_EXCLUDE_NODE,
        "my script says: xid 79",
        Evidence.JOB_OUTPUT,
        T0);
  }

  @Test
  void aKernelXidDrainsTheNodeWithAReasonNamingAjrAndTheEvidence() throws Exception {
    NodeRecord after = isolator(false, null).onEvidence(kernelXid("node3", 42)).orElseThrow();
    assertThat(after.health()).isEqualTo(NodeHealth.DRAINED);
    assertThat(slurm.get("node3").drained()).isTrue();
    assertThat(slurm.get("node3").reason())
        .startsWith("ajr: the kernel log of node3 shows GPU_HARDWARE (gpu.xid.hardware)")
        .contains("Xid (PCI:0000:3b:00): 79");
    assertThat(store.events)
        .extracting(NodeEvent::kind)
        .containsExactly(
            NodeEvent.Kind.IMPLICATED, NodeEvent.Kind.DRAIN_PLANNED, NodeEvent.Kind.DRAINED);
    assertThat(published).hasSize(2).allMatch(e -> e instanceof AjrEvent.NodeChanged);
  }

  @Test
  void aUsersPrintedXidNeverDrainsButThreeJobsMakeALemon() throws Exception {
    NodeIsolator isolator = isolator(false, null);
    assertThat(isolator.onEvidence(printedXid("node2", 1)).orElseThrow().health())
        .isEqualTo(NodeHealth.SUSPECT);
    isolator.onEvidence(printedXid("node2", 1)); // the same job again is no corroboration
    assertThat(isolator.onEvidence(printedXid("node2", 2)).orElseThrow().health())
        .isEqualTo(NodeHealth.SUSPECT);
    assertThat(slurm.commands).isEmpty();
    NodeRecord lemon = isolator.onEvidence(printedXid("node2", 3)).orElseThrow();
    assertThat(lemon.health()).isEqualTo(NodeHealth.DRAINED);
    assertThat(lemon.reason()).contains("lemon node: failures of 3 different jobs");
  }

  @Test
  void manyNodesFailingTogetherDrainNoMoreThanTheLimit() throws Exception {
    NodeIsolator isolator = isolator(false, null);
    for (String node : List.of("node1", "node2", "node3")) {
      isolator.onEvidence(kernelXid(node, node.hashCode()));
    }
    // 4 nodes, 5%: at least one drain, no more
    assertThat(slurm.commands).hasSize(1);
    assertThat(store.nodes.values())
        .extracting(NodeRecord::health)
        .containsExactly(NodeHealth.DRAINED, NodeHealth.SUSPECT, NodeHealth.SUSPECT);
    assertThat(store.events)
        .filteredOn(e -> e.kind() == NodeEvent.Kind.DRAIN_HELD)
        .hasSize(2)
        .allMatch(e -> e.reason().contains("an operator should look"));
  }

  @Test
  void observeModeRecordsTheDrainItWouldDoAndTouchesNothing() throws Exception {
    NodeRecord after = isolator(true, null).onEvidence(kernelXid("node3", 42)).orElseThrow();
    assertThat(after.health()).isEqualTo(NodeHealth.SUSPECT);
    assertThat(after.reason()).contains("observe mode (ajr would drain it)");
    assertThat(slurm.commands).isEmpty();
  }

  @Test
  void aSlurmctldOutageDelaysTheDrainAndADrainInterruptedByARestartIsCompleted() throws Exception {
    slurm.failNext = 3;
    assertThat(isolator(false, null).onEvidence(kernelXid("node3", 42)).orElseThrow().health())
        .isEqualTo(NodeHealth.DRAINED);

    store.saveNode(new NodeRecord("node4", NodeHealth.DRAINING, "the kernel log ...", XID, 5, T0));
    isolator(false, null).resumeUnfinished();
    assertThat(store.nodes.get("node4").health()).isEqualTo(NodeHealth.DRAINED);
    assertThat(slurm.get("node4").drained()).isTrue();
    // a node found drained already is not asked again
    int sent = slurm.commands.size();
    store.saveNode(new NodeRecord("node4", NodeHealth.DRAINING, "again", XID, 5, T0));
    isolator(false, null).resumeUnfinished();
    assertThat(slurm.commands).hasSize(sent);
  }

  @Test
  void aDrainedNodeGoesToRepairAndComesBackWhenRepairedOrUndrained() throws Exception {
    NodeIsolator isolator = isolator(false, node -> repairs.add(node.name()));
    assertThat(isolator.onEvidence(kernelXid("node3", 42)).orElseThrow().health())
        .isEqualTo(NodeHealth.IN_REPAIR);
    assertThat(repairs).containsExactly("node3");
    NodeRecord back = isolator.resume("node3", "ahr", "repaired by the hardware-recovery service");
    assertThat(back.health()).isEqualTo(NodeHealth.OK);
    assertThat(slurm.get("node3").drained()).isFalse();
    assertThat(store.events("node3", 1).get(0).actor()).isEqualTo("ahr");
  }

  @Test
  void aRepairServiceThatCannotBeReachedLeavesTheNodeDrained() throws Exception {
    NodeIsolator isolator =
        isolator(
            false,
            node -> {
              throw new IOException("connection refused");
            });
    assertThat(isolator.onEvidence(kernelXid("node3", 42)).orElseThrow().health())
        .isEqualTo(NodeHealth.DRAINED);
    assertThat(store.events("node3", 1).get(0).reason()).contains("connection refused");
  }

  @Test
  void aDrainInterruptedByAStopIsHeldNotCompletedWhenAjrNowOnlyObserves() throws Exception {
    store.saveNode(new NodeRecord("node4", NodeHealth.DRAINING, "the kernel log ...", XID, 5, T0));
    isolator(true, null).resumeUnfinished();

    assertThat(slurm.commands).isEmpty();
    assertThat(slurm.get("node4").drained()).isFalse();
    assertThat(store.nodes.get("node4").health()).isEqualTo(NodeHealth.SUSPECT);
    assertThat(store.nodes.get("node4").reason())
        .contains("interrupted by a stop of ajr")
        .contains("observe mode");
    assertThat(store.events("node4", 1).get(0).kind()).isEqualTo(NodeEvent.Kind.DRAIN_HELD);
    assertThat(store.draining()).isEmpty();
  }

  @Test
  void aDrainInterruptedByAStopIsHeldNotCompletedWhenDrainsAreOff() throws Exception {
    NodeSettings off =
        new NodeSettings(
            false,
            NodeSettings.DEFAULTS.lemonJobs(),
            NodeSettings.DEFAULTS.lemonWindow(),
            NodeSettings.DEFAULTS.maxDrains(),
            NodeSettings.DEFAULTS.maxDrainShare(),
            NodeSettings.DEFAULTS.drainWindow());
    store.saveNode(new NodeRecord("node4", NodeHealth.DRAINING, "the kernel log ...", XID, 5, T0));
    isolator(false, null, off).resumeUnfinished();

    assertThat(slurm.commands).isEmpty();
    assertThat(store.nodes.get("node4").health()).isEqualTo(NodeHealth.SUSPECT);
    assertThat(store.nodes.get("node4").reason()).contains("nodes.drain: false");
  }

  @Test
  void aNodeAPersonDrainedIsNeverUndrainedByAjr() throws Exception {
    slurm.drain("node2", "bad DIMM, ticket 4711");
    slurm.commands.clear();

    assertThatThrownBy(() -> isolator(false, null).resume("node2", "ops", "undrained by ops"))
        .isInstanceOf(ResumeRefused.class)
        .hasMessageContaining("ajr did not drain node2")
        .extracting(e -> ((ResumeRefused) e).reason())
        .isEqualTo(ResumeRefused.Reason.NOT_DRAINED_BY_AJR);
    assertThat(slurm.commands).isEmpty();
    assertThat(slurm.get("node2").drained()).isTrue();
  }

  @Test
  void aNodeAjrDrainedButAPersonDrainedAgainForTheirOwnReasonIsLeftAlone() throws Exception {
    isolator(false, null).onEvidence(kernelXid("node3", 42));
    slurm.drain("node3", "swapping the GPU, ticket 4712"); // a person's drain replaces ajr's
    slurm.commands.clear();

    assertThatThrownBy(() -> isolator(false, null).resume("node3", "ops", "undrained by ops"))
        .isInstanceOf(ResumeRefused.class)
        .hasMessageContaining("ticket 4712");
    assertThat(slurm.commands).isEmpty();
  }

  @Test
  void inObserveModeAnUndrainChangesNothingUnlessForced() throws Exception {
    isolator(false, null).onEvidence(kernelXid("node3", 42));
    slurm.commands.clear();
    NodeIsolator observing = isolator(true, null);

    assertThatThrownBy(() -> observing.resume("node3", "ops", "undrained by ops"))
        .isInstanceOf(ResumeRefused.class)
        .extracting(e -> ((ResumeRefused) e).reason())
        .isEqualTo(ResumeRefused.Reason.OBSERVE_MODE);
    assertThat(slurm.commands).isEmpty();
    assertThat(slurm.get("node3").drained()).isTrue();

    NodeRecord back = observing.resume("node3", "ops", "undrained by ops", true);
    assertThat(back.health()).isEqualTo(NodeHealth.OK);
    assertThat(slurm.commands).containsExactly("resume node3");
    assertThat(store.events("node3", 1).get(0).reason())
        .isEqualTo("undrained by ops (forced in observe mode)");
  }

  @Test
  void aNameThatIsNoNodeNameIsNeverUsed() throws Exception {
    assertThat(isolator(false, null).onEvidence(kernelXid("-rf", 42))).isEmpty();
    assertThatThrownBy(() -> isolator(false, null).resume("--all", "ops", "undrained by ops"))
        .isInstanceOf(ResumeRefused.class)
        .extracting(e -> ((ResumeRefused) e).reason())
        .isEqualTo(ResumeRefused.Reason.NOT_A_NODE_NAME);
    store.saveNode(new NodeRecord("-x", NodeHealth.DRAINING, "stored long ago", XID, 5, T0));
    isolator(false, null).resumeUnfinished();
    assertThat(slurm.commands).isEmpty();
    assertThat(store.events).noneMatch(e -> e.kind() == NodeEvent.Kind.IMPLICATED);
  }
}
