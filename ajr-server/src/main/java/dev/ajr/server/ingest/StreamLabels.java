package dev.ajr.server.ingest;

import java.util.List;
import java.util.Map;

/**
 * How the labels of a Loki stream (pushed by a shipper, or read from Loki) say what its lines are.
 *
 * @param jobLabels labels holding the Slurm job id, the first present wins
 * @param nodeLabels labels holding the node name, the first present wins
 * @param fileLabel the label holding the file path (Promtail's and Alloy's {@code filename}); a
 *     stream without a job label belongs to the active job whose output or step log that file is
 * @param kernelLabels label values that mark a node's kernel log (any one suffices), for example
 *     {@code transport=kernel} from the systemd journal
 */
public record StreamLabels(
    List<String> jobLabels,
    List<String> nodeLabels,
    String fileLabel,
    Map<String, String> kernelLabels) {

  public static final StreamLabels DEFAULTS =
      new StreamLabels(
          List.of("job_id", "jobid", "slurm_job_id"),
          List.of("host", "hostname", "node", "nodename"),
          "filename",
          Map.of("transport", "kernel"));

  public StreamLabels {
    jobLabels = List.copyOf(jobLabels);
    nodeLabels = List.copyOf(nodeLabels);
    kernelLabels = Map.copyOf(kernelLabels);
  }

  /** The first of {@code names} present with a value, or empty. */
  static String first(Map<String, String> labels, List<String> names) {
    for (String name : names) {
      String value = labels.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return "";
  }

  boolean isKernel(Map<String, String> labels) {
    for (Map.Entry<String, String> k : kernelLabels.entrySet()) {
      if (k.getValue().equals(labels.get(k.getKey()))) {
        return true;
      }
    }
    return false;
  }
}
