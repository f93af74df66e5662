package dev.ajr.slurm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.json.Json;
import org.junit.jupiter.api.Test;

/**
 * The patterns {@code scontrol show job} of 22.05 fills in, for the cases the recorded queue lacks
 * (SameJobsAsTheCommandsTest holds the recorded ones to scontrol's output).
 */
class OutputPathsTest {

  private static JsonNode job(String fields) throws Exception {
    return Json.MAPPER.readTree(
        "{\"job_id\": 47, \"name\": \"train\", \"user_name\": \"alice\", \"batch_flag\": true,"
            + " \"current_working_directory\": \"/home/alice\", "
            + fields
            + "}");
  }

  @Test
  void anArrayTaskHasItsArrayIdAndIndex() throws Exception {
    JsonNode task =
        job(
            "\"array_job_id\": 44, \"array_task_id\": 1, \"standard_output\":"
                + " \"logs/%x-%A_%a.out\", \"standard_error\": \"/scratch/%u/%j.err\"");

    assertThat(OutputPaths.of(task))
        .containsExactly("/home/alice/logs/train-44_1.out", "/scratch/alice/47.err");
  }

  @Test
  void aJobThatIsNoTaskHasItsOwnIdForTheArraysAndNoValForTheIndex() throws Exception {
    JsonNode single =
        job(
            "\"array_job_id\": 0, \"array_task_id\": null, \"standard_output\":"
                + " \"/o/%A-%a-%N-%%.out\", \"standard_error\": \"\"");

    assertThat(OutputPaths.of(single))
        .containsExactly("/o/47-4294967294-%N-%%.out", "/o/47-4294967294-%N-%%.out");
  }

  @Test
  void aJobThatIsNotABatchJobKeepsWhatSlurmGave() throws Exception {
    JsonNode interactive =
        job(
            "\"batch_flag\": false, \"array_job_id\": 0, \"standard_output\": \"\","
                + " \"standard_error\": \"\"");

    assertThat(OutputPaths.of(interactive)).containsExactly("", "");
  }
}
