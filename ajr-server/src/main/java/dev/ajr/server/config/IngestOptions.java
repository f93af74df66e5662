package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.list;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.ingest.StreamLabels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ingest.*}: node agents and Loki streams (pushed or read). */
public final class IngestOptions {

  public static final Option<Path> AGENT_TOKEN_FILE =
      Option.key("ingest.agent-token-file", path())
          .defaultFrom(ServerOptions.DATA_DIR, dir -> dir.resolve("agent.token"))
          .secret()
          .frequent()
          .withDescription(
              "the token node agents send; created (mode 600) on first start when missing");

  public static final Option<List<String>> JOB_LABELS =
      Option.key("ingest.job-labels", list())
          .defaultValue(List.of("job_id", "jobid", "slurm_job_id"))
          .withDescription(
              "Loki stream labels that hold the Slurm job id (pushed or read from Loki)");

  public static final Option<List<String>> NODE_LABELS =
      Option.key("ingest.node-labels", list())
          .defaultValue(List.of("host", "hostname", "node", "nodename"))
          .withDescription("Loki stream labels that hold the node name");

  public static final Option<String> FILE_LABEL =
      Option.key("ingest.file-label", text())
          .defaultValue("filename")
          .withDescription(
              "the Loki stream label holding the file path; ties a stream without a job label to"
                  + " the job whose output it is");

  public static final Option<List<String>> KERNEL_LABELS =
      Option.key("ingest.kernel-labels", list())
          .defaultValue(List.of("transport=kernel"))
          .withDescription(
              "label=value pairs (any one) that mark a Loki stream as a node's kernel log");

  static final List<Option<?>> OPTIONS =
      List.of(AGENT_TOKEN_FILE, JOB_LABELS, NODE_LABELS, FILE_LABEL, KERNEL_LABELS);

  private IngestOptions() {}

  static IngestConfig from(OptionValues v) {
    Map<String, String> kernel = new LinkedHashMap<>();
    for (String pair : v.get(KERNEL_LABELS)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw v.invalid("ingest.kernel-labels takes label=value pairs, not \"" + pair + "\"");
      }
      kernel.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return new IngestConfig(
        v.get(LogOptions.FOLLOW_FILES),
        v.get(AGENT_TOKEN_FILE),
        new StreamLabels(v.get(JOB_LABELS), v.get(NODE_LABELS), v.get(FILE_LABEL), kernel));
  }
}
