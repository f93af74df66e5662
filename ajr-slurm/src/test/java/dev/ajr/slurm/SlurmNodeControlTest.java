package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.node.NodeState;
import dev.ajr.core.scheduler.SchedulerException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmNodeControlTest {

  private static final String IDLE =
      "NodeName=node1 Arch=x86_64 CoresPerSocket=1 CPUAlloc=0 State=IDLE ThreadsPerCore=1"
          + " Partitions=debug BootTime=2026-11-27T14:48:57";

  @Test
  void readsTheStateAndTheDrainReasonOfScontrolShowNode() {
    NodeState idle = SlurmNodeControl.parse("node1", IDLE).orElseThrow();
    assertThat(idle.drained()).isFalse();
    assertThat(idle.state()).isEqualTo("IDLE");
    NodeState drained =
        SlurmNodeControl.parse(
                "node4",
                IDLE.replace("State=IDLE", "State=MIXED+DRAIN")
                    + " Reason=ajr: the kernel log of node4 shows GPU_HARDWARE: Xid 79"
                    + " [root@2026-11-27T15:24:43]")
            .orElseThrow();
    assertThat(drained.drained()).isTrue();
    assertThat(drained.reason())
        .isEqualTo("ajr: the kernel log of node4 shows GPU_HARDWARE: Xid 79");
    assertThat(SlurmNodeControl.parse("x", "garbage")).isEmpty();
  }

  @Test
  void drainsWithTheReasonAsOneArgumentAndCountsNodes() throws Exception {
    List<List<String>> seen = new ArrayList<>();
    SlurmNodeControl control =
        new SlurmNodeControl(
            (command, environment, timeout) -> {
              seen.add(command);
              String out = command.get(0).equals("sinfo") ? "node1\nnode2\nnode2\nnode3\n" : "";
              return new CommandRunner.CommandResult(0, out, "");
            },
            java.time.Duration.ofSeconds(5));
    control.drain("node2", "ajr: \"quoted\"; rm -rf /");
    assertThat(seen.get(0))
        .containsExactly(
            "scontrol",
            "update",
            "NodeName=node2",
            "State=DRAIN",
            "Reason=ajr: \"quoted\"; rm -rf /");
    assertThat(control.nodeCount()).isEqualTo(3);
  }

  @Test
  void aNameThatIsNoNodeNameNeverReachesACommand() {
    List<List<String>> seen = new ArrayList<>();
    SlurmNodeControl control =
        new SlurmNodeControl(
            (command, environment, timeout) -> {
              seen.add(command);
              return new CommandRunner.CommandResult(0, IDLE, "");
            },
            java.time.Duration.ofSeconds(5));
    for (String bad : List.of("-o", "--all", "node 1", "a/b", "", "x".repeat(65))) {
      assertThatThrownBy(() -> control.state(bad))
          .as(bad)
          .isInstanceOf(SchedulerException.class)
          .hasMessageContaining("not a node name");
      assertThatThrownBy(() -> control.resume(bad)).isInstanceOf(SchedulerException.class);
      assertThatThrownBy(() -> control.drain(bad, "ajr: x")).isInstanceOf(SchedulerException.class);
    }
    assertThat(seen).isEmpty();
  }
}
