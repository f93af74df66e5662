package dev.ajr.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in catalog and the {@link Diagnoser} on GPU, ECC, NVLink and InfiniBand failures: the
 * node is named by its host name whenever a line's prefix says it, the device by its PCI id, and a
 * failure whose host no line names says the node is unknown. Excerpts are copied from public issue
 * trackers (each with its source).
 */
class DiagnoserNodeAttributionTest {

  private final Diagnoser diagnoser = new Diagnoser(RuleCatalog.builtIn().engine());

  private Diagnosis diagnose(String... lines) {
    return diagnoser.diagnose(List.of(lines));
  }

  private static void excludes(Diagnosis d, String node) {
    assertThat(d.action()).isEqualTo(RecoveryAction.REQUEUE_EXCLUDE_NODE);
    assertThat(d.nodes()).containsExactly(node);
    assertThat(d.nodeUnknown()).isFalse();
    assertThat(d.notes()).noneSatisfy(n -> assertThat(n).contains("unknown node"));
  }

  @Test
  void ncclsIbCompletionErrorExcludesTheHostOfItsPrefix() {
    // https://github.com/NVIDIA/nccl/issues/1814
    Diagnosis d =
        diagnose(
            "hostname-test:984:1357 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from"
                + " peer 172.36.143.59<44206> with status=12 opcode=129 len=65536 vendor err 129"
                + " (Recv) localGid ::ffff:29.87.88.182 remoteGids::ffff:29.87.4.221",
            "hostname-test:984:1357 [4] NCCL INFO transport/net.cc:1298 -> 6");

    assertThat(d.cause()).isEqualTo(Cause.NCCL_ERROR);
    excludes(d, "hostname-test");
  }

  @Test
  void anHcaFaultEventReportedByNcclUnderOpenMpiExcludesTheContainersHost() {
    // https://github.com/NVIDIA/nccl/issues/230
    Diagnosis d =
        diagnose(
            "2019-06-02T16:13:44.884Z: [1,12]<stdout>:container-e275-1553839402050-12124-01-000057"
                + ":815:864 [0] transport/net_ib.cu:80 NCCL WARN NET/IB : Got async event : local"
                + " catastrophic error",
            "2019-06-02T16:13:44.884Z: [1,12]<stdout>:",
            "2019-06-02T16:13:44.884Z: [1,12]<stdout>:container-e275-1553839402050-12124-01-000057"
                + ":815:864 [0] misc/ibvwrap.cu:220 NCCL WARN Call to ibv_get_async_event failed");

    assertThat(d.cause()).isEqualTo(Cause.NETWORK_INFINIBAND);
    excludes(d, "container-e275-1553839402050-12124-01-000057");
    assertThat(d.root().orElseThrow().rank()).isEqualTo(12);
  }

  @Test
  void aWedgedMlx5UnderPdshExcludesTheHostAndNamesTheHca() {
    // https://github.com/openucx/ucx/issues/7738
    Diagnosis d =
        diagnose(
            "b1360: [14280.445220] mlx5_core 0000:61:00.0: wait_func_handle_exec_timeout:1104:(pid"
                + " 141183): cmd[22]: CREATE_DCT(0x710) No done completion",
            "b1360: [14280.445226] mlx5_core 0000:61:00.0: wait_func:1132:(pid 141181):"
                + " CREATE_DCT(0x710) timeout. Will cause a leak of a command resource");

    excludes(d, "b1360");
    assertThat(d.devices()).containsExactly("0000:61:00.0");
    assertThat(LogDiagnosis.summary(d))
        .contains("REQUEUE_EXCLUDE_NODE on b1360 (HCA 0000:61:00.0)");
  }

  @Test
  void ucxsTransportRetryExceededExcludesTheHostOfItsPrefix() {
    // https://github.com/openucx/ucx/issues/6669
    Diagnosis d =
        diagnose(
            "[g07r1n14:27251:0:27251] ib_mlx5_log.c:143  Transport retry count exceeded on"
                + " mlx5_0:1/IB (synd 0x15 vend 0x81 hw_synd 0/0)",
            "[g07r1n14:27251:0:27251] ib_mlx5_log.c:143  DCI QP 0x10f3a wqe[446]: SEND s-e [rqpn"
                + " 0x32ca rlid 19352] [inl len 20]");

    assertThat(d.cause()).isEqualTo(Cause.NETWORK_INFINIBAND);
    excludes(d, "g07r1n14");
  }

  @Test
  void ucxsFailedMemoryRegistrationExcludesTheHostOfItsPrefix() {
    // https://github.com/openucx/ucx/issues/8049 (under srun --label)
    Diagnosis d =
        diagnose(
            "0: 0/1",
            "[1647516906.396315] [node-rtx3080:82049:0]           ib_md.c:349  UCX  ERROR"
                + " ibv_reg_mr(address=0x7f724fa00000, length=4096, access=0xf) failed: Bad"
                + " address",
            "[1647516906.396356] [node-rtx3080:82049:0]          ucp_mm.c:164  UCX  ERROR failed"
                + " to register address 0x7f724fa00000 mem_type bit 0x2 length 4096 on"
                + " md[5]=mlx5_0: Input/output error (md reg_mem_types 0x3)");

    assertThat(d.cause()).isEqualTo(Cause.NETWORK_INFINIBAND);
    excludes(d, "node-rtx3080");
  }

  @Test
  void aJournalsXidExcludesItsHostAndNamesTheGpu() {
    Diagnosis d =
        diagnose(
            "Nov 27 10:00:00 gpu-node-7 kernel: NVRM: GPU at PCI:0000:3b:00:"
                + " GPU-760d0170-b7c5-6817-9414-6cc7112645de",
            "Nov 27 10:00:00 gpu-node-7 kernel: NVRM: Xid (PCI:0000:3b:00): 79, pid=1234,"
                + " name=python, GPU has fallen off the bus.");

    assertThat(d.cause()).isEqualTo(Cause.GPU_HARDWARE);
    excludes(d, "gpu-node-7");
    assertThat(d.devices()).containsExactly("0000:3b:00");
    assertThat(LogDiagnosis.summary(d))
        .contains("REQUEUE_EXCLUDE_NODE on gpu-node-7 (GPU 0000:3b:00)");
  }

  @Test
  void anEccXidUnderPdshExcludesTheWorker() {
    Diagnosis d =
        diagnose(
            "worker-3: NVRM: Xid (PCI:0000:c1:00): 48, pid=2210, name=pt_main_thread, An"
                + " uncorrectable double bit error (DBE) has been detected on GPU in the"
                + " framebuffer at partition 6, subpartition 0.");

    excludes(d, "worker-3");
    assertThat(d.devices()).containsExactly("0000:c1:00");
  }

  @Test
  void anNvlinkFaultInAJournalExcludesItsHost() {
    Diagnosis d =
        diagnose(
            "Nov 27 10:00:00 gpu-node-2 nvidia-fabricmanager[2211]: NVLink link down detected on"
                + " GPU 3 link 11");

    assertThat(d.cause()).isEqualTo(Cause.GPU_HARDWARE);
    excludes(d, "gpu-node-2");
  }

  @Test
  void anMlx5PortDownWithTheHostInFrontExcludesTheHost() {
    Diagnosis d = diagnose("gpu-node-3 kernel: mlx5_core 0000:3b:00.0 mlx5_1: Port: 1 Link DOWN");

    assertThat(d.cause()).isEqualTo(Cause.NETWORK_INFINIBAND);
    excludes(d, "gpu-node-3");
    assertThat(d.devices()).containsExactly("0000:3b:00.0");
  }

  @Test
  void anApplicationXidRaisedByANodeLevelXidOfTheSameHostExcludesIt() {
    // The lines of https://github.com/leptonai/gpud/pull/46, as a journal prints them
    Diagnosis d =
        diagnose(
            "Aug 30 11:43:09 gpu-node-5 kernel: NVRM: Xid (PCI:0000:cb:00): 13, pid='<unknown>',"
                + " name=<unknown>, Graphics SM Warp Exception on (GPC 7, TPC 7, SM 0): Illegal"
                + " Instruction Parameter",
            "Aug 30 11:43:14 gpu-node-5 kernel: NVRM: Xid (PCI:0000:cb:00): 109, pid=1797828,"
                + " name=pt_main_thread, Ch 00000008, errorString CTX SWITCH TIMEOUT, Info"
                + " 0x58005");

    excludes(d, "gpu-node-5");
    assertThat(d.notes()).anySatisfy(n -> assertThat(n).contains("points at node gpu-node-5"));
  }

  @Test
  void aDmesgXidNamesTheGpuAndSaysTheNodeIsUnknownNeverTakingThePciIdForANode() {
    // https://github.com/NVIDIA/open-gpu-kernel-modules/issues/1151
    Diagnosis d =
        diagnose(
            "NVRM: GPU at PCI:0000:06:00: GPU-0b6b7808-c002-f593-ac86-cd8e57757b94",
            "NVRM: Xid (PCI:0000:06:00): 79, GPU has fallen off the bus.");

    assertThat(d.action()).isEqualTo(RecoveryAction.REQUEUE_EXCLUDE_NODE);
    assertThat(d.nodes()).isEmpty();
    assertThat(d.nodeUnknown()).isTrue();
    assertThat(d.devices()).containsExactly("0000:06:00");
    assertThat(d.notes())
        .contains(
            "GPU fault on an unknown node (GPU 0000:06:00): no line names its host, so a restart"
                + " excludes no node");
    assertThat(LogDiagnosis.summary(d))
        .contains("REQUEUE_EXCLUDE_NODE on an unknown node (GPU 0000:06:00)");
  }

  @Test
  void aMultiLineXidNamesTheDeviceOfItsFirstLine() {
    // https://github.com/flashinfer-ai/flashinfer/issues/3869
    Diagnosis d =
        diagnose(
            "19:14:43  NVRM: Xid (PCI:0000:1a:00): 13, Graphics Exception: ESR 0x57e7b0=0x81e0017",
            "19:15:34  NVRM: Xid (PCI:0000:9a:00): 31, pid=477445, name=python3, channel"
                + " 0x00000002, intr 00000000.",
            "          MMU Fault: ENGINE GRAPHICS GPC0 UNRECOGNIZED_CLIENT faulted @"
                + " 0x182400_0030198d.");

    assertThat(d.action()).isEqualTo(RecoveryAction.REQUEUE_EXCLUDE_NODE);
    assertThat(d.nodes()).isEmpty();
    assertThat(d.devices()).containsExactly("0000:1a:00", "0000:9a:00");
  }

  @Test
  void aNodeNamePrintedInAShapeNoNodeHasIsNotANode() {
    Diagnosis d = diagnose("salloc: error: Node failure on -rf");

    assertThat(d.cause()).isEqualTo(Cause.SLURM_SCHEDULER);
    assertThat(d.nodes()).isEmpty();
  }

  @Test
  void noExcerptOfTheCorpusNamesAPciIdAsANode() throws IOException {
    ObjectMapper json = new ObjectMapper();
    int checked = 0;
    for (String file :
        List.of("/corpus/real-logs-dev.jsonl", "/corpus/real-logs-collected.jsonl")) {
      try (InputStream in = getClass().getResourceAsStream(file);
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode r = json.readTree(line);
          Diagnosis d = diagnoser.diagnose(List.of(r.get("text").asText().split("\n")));
          assertThat(d.nodes())
              .as(r.get("id").asText())
              .allSatisfy(n -> assertThat(n).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))
              .noneSatisfy(n -> assertThat(n).matches("[0-9A-Fa-f]{4}:[0-9A-Fa-f]{2}:.*"));
          if (d.nodeUnknown()) {
            assertThat(d.notes())
                .as(r.get("id").asText())
                .anyMatch(n -> n.contains("unknown node"));
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(107 + 57);
  }
}
