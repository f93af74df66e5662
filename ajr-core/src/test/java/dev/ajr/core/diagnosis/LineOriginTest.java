package dev.ajr.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prefixes {@link LineOrigin} reads, on lines copied from public issue trackers (each with its
 * source), and what it must never take for a host.
 */
class LineOriginTest {

  private static Arguments host(String line, String host) {
    return Arguments.of(line, host);
  }

  static Stream<Arguments> linesNamingTheirHost() {
    return Stream.of(
        // NCCL's host:pid:tid [gpu] prefix, newer NCCL with the source file before "NCCL WARN":
        // https://github.com/NVIDIA/nccl/issues/1814
        host(
            "hostname-test:984:1357 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from"
                + " peer 172.36.143.59<44206> with status=12 opcode=129 len=65536 vendor err 129"
                + " (Recv)",
            "hostname-test"),
        // https://github.com/NVIDIA/nccl/issues/1405
        host(
            "kp-ddp-worker-0:3468:3905 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from"
                + " peer 10.216.210.236<54862> with status=12 opcode=0 len=0 vendor err 129 (Recv)",
            "kp-ddp-worker-0"),
        // Older NCCL, "NCCL INFO" right after the prefix: https://github.com/NVIDIA/nccl/issues/983
        host(
            "4c217144f0b1:113168:113168 [0] NCCL INFO Bootstrap : Using eth0:10.0.1.9<0>",
            "4c217144f0b1"),
        // Open MPI --tag-output and an ISO timestamp in front of NCCL's prefix:
        // https://github.com/NVIDIA/nccl/issues/230
        host(
            "2019-06-02T16:13:44.884Z: [1,12]<stdout>:container-e275-1553839402050-12124-01-000057"
                + ":815:864 [0] transport/net_ib.cu:80 NCCL WARN NET/IB : Got async event : local"
                + " catastrophic error",
            "container-e275-1553839402050-12124-01-000057"),
        // pdsh (accelerate/DeepSpeed multi-node) prefixes the node's address; NCCL's names it:
        // https://github.com/huggingface/accelerate/issues/1317
        host(
            "104.171.201.172: lambda-scalar03:148966:148966 [0] NCCL INFO Using network Socket",
            "lambda-scalar03"),
        // pdsh's "host: " in front of a kernel line: https://github.com/openucx/ucx/issues/7738
        host(
            "b1360: [14280.445220] mlx5_core 0000:61:00.0: wait_func_handle_exec_timeout:1104:(pid"
                + " 141183): cmd[22]: CREATE_DCT(0x710) No done completion",
            "b1360"),
        // DeepSpeed's launcher (pdsh) prefixes each line with the worker's name
        host("worker-3: [rank27]: RuntimeError: CUDA error: uncorrectable ECC error", "worker-3"),
        host("node017: NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.", "node017"),
        // UCX's [host:pid:thread:tid]: https://github.com/openucx/ucx/issues/6669
        host(
            "[g07r1n14:27251:0:27251] ib_mlx5_log.c:143  Transport retry count exceeded on"
                + " mlx5_0:1/IB (synd 0x15 vend 0x81 hw_synd 0/0)",
            "g07r1n14"),
        // UCX's timestamp then [host:pid:thread]: https://github.com/openucx/ucx/issues/8049
        host(
            "[1647516906.396315] [node-rtx3080:82049:0]           ib_md.c:349  UCX  ERROR"
                + " ibv_reg_mr(address=0x7f724fa00000, length=4096, access=0xf) failed: Bad address",
            "node-rtx3080"),
        // Open MPI's [host:pid], the same issue
        host(
            "[node-rtx3080.local:82049] pml_ucx.c:860  Error: ucx send failed",
            "node-rtx3080.local"),
        // A journal line with its host field: https://github.com/leptonai/gpud/issues/1164
        host(
            "Dec 02 09:56:04 node1 kernel: mlx5_core 0000:d2:00.0: mlx5_cmd_out_err:838:(pid"
                + " 1441871): ACCESS_REG(0x805) op_mod(0x1) failed",
            "node1"),
        // A host name that starts with a digit: https://github.com/leptonai/gpud/pull/1209
        host(
            "Feb 14 05:03:41 000-000-00000-1-gpu-1 kernel: mlx5_core 0000:ab:00.0 mlx5_5: Port: 1"
                + " Link INIT",
            "000-000-00000-1-gpu-1"),
        host(
            "Nov 27 10:00:00 gpu-node-7 kernel: NVRM: Xid (PCI:0000:3b:00): 79, pid=1234,"
                + " name=python, GPU has fallen off the bus.",
            "gpu-node-7"),
        // A daemon's tag with its pid: the same gpud issue
        host(
            "Dec 02 09:56:04 node1 gpud[1441796]: {\"level\":\"info\",\"msg\":\"checking nvidia"
                + " gpu infiniband\"}",
            "node1"),
        // The journal's short-iso form
        host(
            "2024-11-27T10:00:00+0000 gpu-node-7 kernel: NVRM: Xid (PCI:0000:3b:00): 79",
            "gpu-node-7"),
        // A shipper that drops the timestamp and keeps the host
        host("gpu-node-3 kernel: mlx5_core 0000:3b:00.0 mlx5_1: Port: 1 Link DOWN", "gpu-node-3"),
        // torchrun's log-line prefix template "${hostname}:${rank}: ":
        // https://github.com/pytorch/pytorch/pull/191265
        host("r12i0n8:3: Fatal Python error: Segmentation fault", "r12i0n8"),
        // A rank's launcher prefix in front of NCCL's host prefix
        host(
            "3: gpu-node-7:3301:3380 [3] NCCL WARN NET/IB : Got async event : port error",
            "gpu-node-7"),
        host("[rank3]:gpu-node-7:3301:3380 [3] NCCL WARN Cuda failure 'unspecified'", "gpu-node-7"),
        host("[default3]:gpu-node-7:3301:3380 [3] NCCL WARN Cuda failure", "gpu-node-7"),
        // slurmstepd names its node
        host(
            "slurmstepd-node1: error: *** STEP 24.0 ON node1 CANCELLED AT 2026-11-27T12:42:25 ***",
            "node1"));
  }

  @ParameterizedTest
  @MethodSource("linesNamingTheirHost")
  void theHostIsReadFromTheLinesPrefix(String line, String host) {
    assertThat(LineOrigin.of(line).host()).isEqualTo(host);
  }

  static Stream<Arguments> linesWithoutAHost() {
    return Stream.of(
        // dmesg lines carry no host: https://github.com/leptonai/gpud/pull/46
        Arguments.of(
            "[Fri Aug 30 11:43:09 2024] NVRM: Xid (PCI:0000:cb:00): 109, pid=1797828,"
                + " name=pt_main_thread, Ch 00000008, errorString CTX SWITCH TIMEOUT"),
        Arguments.of("[14370.687545] NVRM: Xid (PCI:0000:0a:00): 62, pid='<unknown>'"),
        // A journal line without a host field: the first field is the tag
        // https://forums.developer.nvidia.com/t/xid-62-xid-154-gsp-pmu-halt-crash-on-rtx-pro-6000-blackwell-during-llm-inference/364958
        Arguments.of("Mar 27 17:40:36 kernel: NVRM: Xid (PCI:0000:01:00): 62, 223b6a66 00002100"),
        // Program and driver names printed as "word: " are no hosts
        Arguments.of("mlx5_core: probe of 0000:03:00.0 failed with error -22"),
        Arguments.of("nvidia-nvswitch3: SXid (PCI:0000:88:00.0): 20034, Fatal, Link 12 LTSSM"),
        Arguments.of("RuntimeError: CUDA error: uncorrectable ECC error encountered"),
        Arguments.of("python3: src/psm2_nccl_net.c:756: Assertion `r->used' failed."),
        Arguments.of("eth0: Link down"),
        Arguments.of("epoch:3: loss 2.31"),
        Arguments.of("Triton kernel: compiled in 3.2 s"),
        Arguments.of("torch.distributed.elastic.multiprocessing.api: [ERROR] failed (exitcode: 1)"),
        // A structured logger's level is not a host
        Arguments.of("2024-11-27T10:00:00+0000 INFO trainer: step 100"),
        // Times are not hosts
        Arguments.of("12:30:45 [0] NCCL WARN something"),
        Arguments.of("[10:00:00] NVRM: Xid (PCI:0000:3b:00): 79"),
        // A c10d warning's bracket holds a file name and a space
        Arguments.of(
            "[W socket.cpp:601] [c10d] The client socket has failed to connect to"
                + " [ip-26-0-146-37]:22456 (errno: 22 - Invalid argument)."));
  }

  @ParameterizedTest
  @MethodSource("linesWithoutAHost")
  void aLineWithoutAHostPrefixNamesNone(String line) {
    assertThat(LineOrigin.of(line).host()).isNull();
  }

  @Test
  void ranksAreReadFromEveryLaunchersPrefix() {
    // https://github.com/hiyouga/LlamaFactory/issues/7396
    assertThat(
            LineOrigin.of(
                    "[80746] [rank4]:[E321 02:07:08.414640780 ProcessGroupNCCL.cpp:607] [Rank 4]"
                        + " Watchdog caught collective operation timeout")
                .rank())
        .isEqualTo(4);
    assertThat(LineOrigin.of("[rank3]: RuntimeError: CUDA error").rank()).isEqualTo(3);
    assertThat(LineOrigin.of("[default3]:[rank11]: Traceback (most recent call last):").rank())
        .isEqualTo(3);
    assertThat(LineOrigin.of("[1,3]<stderr>:Traceback (most recent call last):").rank())
        .isEqualTo(3);
    // srun --label: https://github.com/openucx/ucx/issues/8049
    assertThat(LineOrigin.of("0: 0/1")).isEqualTo(new LineOrigin(0, null));
    assertThat(LineOrigin.of("  12: NVRM: Xid (PCI:0000:3b:00): 79").rank()).isEqualTo(12);
    assertThat(LineOrigin.of("Rank0: (1) segmentation fault: artificial segfault"))
        .isEqualTo(new LineOrigin(0, null));
    assertThat(LineOrigin.of("r12i0n8:3: Fatal Python error: Segmentation fault"))
        .isEqualTo(new LineOrigin(3, "r12i0n8"));
    assertThat(
            LineOrigin.of(
                "2019-06-02T16:13:44.888Z: [1,14]<stdout>:container-e275:814:868 [0]"
                    + " transport/net_ib.cu:80 NCCL WARN NET/IB : Got async event"))
        .isEqualTo(new LineOrigin(14, "container-e275"));
  }

  @Test
  void theLaunchersHostBeatsTheOneALibraryPrints() {
    // pdsh knows the node by its Slurm name; NCCL prints the container's host name.
    assertThat(LineOrigin.of("node017: 4c217144f0b1:113168:113168 [0] NCCL WARN x").host())
        .isEqualTo("node017");
  }

  @Test
  void ncclsPrefixIsFoundAfterAnUnknownPrefix() {
    assertThat(
            LineOrigin.of(
                    "job-42/worker | gpu-node-9:3301:3380 [2] NCCL WARN NET/IB : Got completion"
                        + " from peer 10.1.2.3<5678> with error 12")
                .host())
        .isEqualTo("gpu-node-9");
  }

  @Test
  void printedTextNeverMakesAHostThatIsNoNodeName() {
    String[] hostile = {
      "-rf:1:2 [0] NCCL WARN x",
      "--exclude=all:1:2 [0] NCCL WARN x",
      "../../etc/passwd:1:2 [0] NCCL WARN x",
      "a/b:1:2 [0] NCCL WARN x",
      "[/tmp/x:12] boom",
      "Nov 27 10:00:00 -node kernel: NVRM: Xid",
      "Nov 27 10:00:00 no\u0000de kernel: NVRM: Xid",
      "n\u00f6de1: NVRM: Xid (PCI:0000:3b:00): 79",
      "x".repeat(65) + "1: NVRM: Xid",
      "x".repeat(65) + ":1:2 [0] NCCL WARN x",
      "node\t1:1:2 [0] NCCL WARN x",
    };
    for (String line : hostile) {
      String host = LineOrigin.of(line).host();
      if (host != null) {
        assertThat(host)
            .as(line)
            .matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
            .doesNotStartWith("-")
            .doesNotContain("/");
      }
    }
    assertThat(LineOrigin.of("-rf:1:2 [0] NCCL WARN x").host()).isNull();
    assertThat(LineOrigin.of("x".repeat(65) + ":1:2 [0] NCCL WARN x").host()).isNull();
    assertThat(LineOrigin.of("x".repeat(64) + ":1:2 [0] NCCL WARN x").host())
        .isEqualTo("x".repeat(64));
  }

  /** A line that counts how often its characters are read. */
  private static final class CountingLine implements CharSequence {
    private final String text;
    long reads;

    CountingLine(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      reads++;
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      reads += end - start;
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      reads += text.length();
      return text;
    }
  }

  private static long readsFor(String line) {
    CountingLine counting = new CountingLine(line);
    LineOrigin.of(counting);
    return counting.reads;
  }

  private static String repeatTo(String unit, int length) {
    return unit.repeat(length / unit.length() + 1).substring(0, length);
  }

  @Test
  void theWorkOnAHostileLineIsAtMostLinearInItsLength() {
    int small = 8 * 1024;
    int large = 1024 * 1024;
    String[] units = {
      "a a a a ", // the old unanchored NCCL pattern's worst case, with " NCCL " at the end
      "a:1:2 [", // NCCL prefixes that never complete
      "[a:1:2:", // bracketed host prefixes that never close
      "1: ", // srun labels, one after another
      " [0] NCCL", // NCCL markers without a host
      "x", // one endless word
    };
    for (String unit : units) {
      long smallReads = readsFor(repeatTo(unit, small) + " NCCL WARN x");
      long largeReads = readsFor(repeatTo(unit, large) + " NCCL WARN x");
      // Linear in the length would be at most (large / small) = 128 times; reading only a bounded
      // prefix costs the same on both.
      assertThat(largeReads).as(unit).isLessThanOrEqualTo(smallReads * (large / small));
      assertThat(largeReads).as(unit).isLessThanOrEqualTo(64L * LineOrigin.PREFIX_WINDOW);
    }
  }
}
