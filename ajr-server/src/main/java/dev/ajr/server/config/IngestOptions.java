package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.list;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.ingest.IngestLimits;
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

  private static final long MIB = 1024 * 1024;
  private static final long MOST_BYTES = 64 * 1024 * MIB;

  public static final Option<Long> MAX_BYTES_IN_FLIGHT =
      Option.key("ingest.max-bytes-in-flight", wholeNumber(MIB, MOST_BYTES))
          .defaultValue(IngestLimits.DEFAULTS.maxInFlightBytes())
          .withDescription(
              "most bytes that log-sending requests (node agents, Loki pushes) hold at once, their"
                  + " bodies as received plus what they decompress to; a request beyond it is"
                  + " answered 429 with Retry-After, before its body is kept, and handled not at"
                  + " all");

  public static final Option<Long> MAX_BYTES_IN_FLIGHT_PER_SOURCE =
      Option.key("ingest.max-bytes-in-flight-per-source", wholeNumber(MIB, MOST_BYTES))
          .defaultValue(IngestLimits.DEFAULTS.maxInFlightBytesPerSource())
          .withDescription(
              "the same for one source (a caller and the node an agent names, else a caller and"
                  + " its address); a single request needing more is answered 413");

  public static final Option<Long> MAX_BYTES_PER_SECOND_PER_SOURCE =
      Option.key("ingest.max-bytes-per-second-per-source", wholeNumber(1024L, MOST_BYTES))
          .defaultValue(IngestLimits.DEFAULTS.bytesPerSecondPerSource())
          .withDescription(
              "average rate of one source's request bodies, as received, with bursts of up to"
                  + " ingest.max-bytes-in-flight-per-source; beyond it requests are answered 429"
                  + " with Retry-After");

  static final List<Option<?>> OPTIONS =
      List.of(
          AGENT_TOKEN_FILE,
          JOB_LABELS,
          NODE_LABELS,
          FILE_LABEL,
          KERNEL_LABELS,
          MAX_BYTES_IN_FLIGHT,
          MAX_BYTES_IN_FLIGHT_PER_SOURCE,
          MAX_BYTES_PER_SECOND_PER_SOURCE);

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
        new StreamLabels(v.get(JOB_LABELS), v.get(NODE_LABELS), v.get(FILE_LABEL), kernel),
        new IngestLimits(
            v.get(MAX_BYTES_IN_FLIGHT),
            v.get(MAX_BYTES_IN_FLIGHT_PER_SOURCE),
            v.get(MAX_BYTES_PER_SECOND_PER_SOURCE)));
  }
}
