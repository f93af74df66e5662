package dev.ajr.slurm;

import static dev.ajr.core.testing.SchedulerJobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.tracking.JobStatuses;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmJobStateTest {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The base states and flags of Slurm 24.11's job_state (data_parser 0.0.42). */
  static final List<String> BASE_STATES =
      List.of(
          "PENDING",
          "RUNNING",
          "SUSPENDED",
          "COMPLETED",
          "CANCELLED",
          "FAILED",
          "TIMEOUT",
          "NODE_FAIL",
          "PREEMPTED",
          "BOOT_FAIL",
          "DEADLINE",
          "OUT_OF_MEMORY");

  static final List<String> FLAGS =
      List.of(
          "LAUNCH_FAILED",
          "UPDATE_DB",
          "REQUEUED",
          "REQUEUE_HOLD",
          "SPECIAL_EXIT",
          "RESIZING",
          "CONFIGURING",
          "COMPLETING",
          "STOPPED",
          "RECONFIG_FAIL",
          "POWER_UP_NODE",
          "REVOKED",
          "REQUEUE_FED",
          "RESV_DEL_HOLD",
          "SIGNALING",
          "STAGE_OUT");

  /** The words ajr's tracking and recovery know (JobStatuses, ActionChecks). */
  static final Set<String> AJR_WORDS =
      Set.of(
          "PENDING",
          "RUNNING",
          "SUSPENDED",
          "COMPLETED",
          "CANCELLED",
          "FAILED",
          "TIMEOUT",
          "NODE_FAIL",
          "PREEMPTED",
          "BOOT_FAIL",
          "DEADLINE",
          "OUT_OF_MEMORY",
          "COMPLETING",
          "REQUEUED",
          "CONFIGURING");

  static String state(String json) throws Exception {
    JsonNode node = JSON.readTree(json);
    return SlurmJobState.of(node);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // 23.11 and later: the base state, then its flags
        "['PENDING'] | PENDING",
        "['PENDING','REQUEUED'] | PENDING",
        "['PENDING','REQUEUE_HOLD'] | PENDING",
        "['PENDING','SPECIAL_EXIT'] | PENDING",
        "['PENDING','RESV_DEL_HOLD'] | PENDING",
        "['PENDING','COMPLETING'] | COMPLETING",
        "['PENDING','REQUEUED','COMPLETING'] | COMPLETING",
        "['RUNNING'] | RUNNING",
        "['RUNNING','CONFIGURING'] | RUNNING",
        "['RUNNING','COMPLETING'] | COMPLETING",
        "['RUNNING','SIGNALING'] | RUNNING",
        "['FAILED'] | FAILED",
        "['FAILED','COMPLETING'] | COMPLETING",
        "['FAILED','REQUEUED'] | REQUEUED",
        "['FAILED','REQUEUED','COMPLETING'] | COMPLETING",
        "['COMPLETED','STAGE_OUT'] | COMPLETING",
        "['CANCELLED','UPDATE_DB'] | CANCELLED",
        "['TIMEOUT'] | TIMEOUT",
        "['COMPLETING','FAILED'] | COMPLETING",
        // 22.05 and 23.02: one word, a flag in place of the base state
        "'PENDING' | PENDING",
        "'RUNNING' | RUNNING",
        "'COMPLETING' | COMPLETING",
        "'CONFIGURING' | CONFIGURING",
        "'REQUEUED' | REQUEUED",
        "'REQUEUE_HOLD' | PENDING",
        "'SPECIAL_EXIT' | PENDING",
        "'RESV_DEL_HOLD' | PENDING",
        "'SIGNALING' | RUNNING",
        "'STOPPED' | RUNNING",
        "'STAGE_OUT' | COMPLETING",
        "'OUT_OF_MEMORY' | OUT_OF_MEMORY",
      })
  void readsEitherShapeIntoAjrsWords(String json, String expected) throws Exception {
    assertThat(state(json.replace('\'', '"'))).isEqualTo(expected);
  }

  @Test
  void noFlagOfAnyBaseStateGivesAWordAjrDoesNotKnow() throws Exception {
    for (String base : BASE_STATES) {
      for (String flag : FLAGS) {
        String json = "[\"" + base + "\", \"" + flag + "\"]";

        assertThat(state(json)).as(json).isIn(AJR_WORDS);
      }
    }
  }

  @Test
  void aPendingJobStaysPendingForAjrWhateverItsFlagsButCompleting() throws Exception {
    for (String flag : FLAGS) {
      String json = "[\"PENDING\", \"" + flag + "\"]";
      AttemptState expected =
          "COMPLETING".equals(flag) || "STAGE_OUT".equals(flag)
              ? AttemptState.RUNNING
              : AttemptState.PENDING;

      assertThat(JobStatuses.attemptState(job(1).state(state(json)).build()))
          .as(json)
          .isEqualTo(expected);
    }
  }

  @Test
  void noStateIsEmpty() throws Exception {
    assertThat(SlurmJobState.of(null)).isEmpty();
    assertThat(state("null")).isEmpty();
    assertThat(state("[]")).isEmpty();
  }
}
