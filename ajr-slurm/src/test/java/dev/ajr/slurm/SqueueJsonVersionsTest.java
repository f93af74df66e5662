package dev.ajr.slurm;

import static dev.ajr.core.testing.SchedulerJobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Against samples of {@code squeue --json} from Slurm 23.02, 23.11, 24.05 and 24.11, in the field
 * names and shapes each version prints (squeue-json/README.md says where each shape comes from).
 * Each expected job sets every field of {@link SchedulerJob}: one left out keeps the builder's
 * default and fails the comparison.
 */
class SqueueJsonVersionsTest {

  static final String DIRECTIVE =
      "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 3}}";

  static Map<Long, SchedulerJob> jobsOf(String version) throws IOException {
    String resource = "/squeue-json/slurm-" + version + ".json";
    try (InputStream in = SqueueJsonVersionsTest.class.getResourceAsStream(resource)) {
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new SqueueJsonParser()
          .parse(json).stream().collect(Collectors.toMap(SchedulerJob::jobId, Function.identity()));
    }
  }

  static Instant at(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond);
  }

  static void assertSameJob(SchedulerJob actual, SchedulerJob expected) {
    assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
  }

  /** data_parser 0.0.39: the state a single word, times plain, the exit a wrapped wait status. */
  @Test
  void slurm2302() throws IOException {
    Map<Long, SchedulerJob> jobs = jobsOf("23.02");
    long t = 1795600000L;

    assertThat(jobs).containsOnlyKeys(4101L, 4102L);
    assertSameJob(
        jobs.get(4101L),
        job(4101)
            .name("llm-pretrain")
            .user("alice")
            .partition("gpu")
            .state("FAILED")
            .reason("NonZeroExitCode")
            .restartCount(1)
            .comment(DIRECTIVE)
            .nodes("gpu03", "gpu04")
            .submitTime(at(t))
            .startTime(at(t + 300))
            .endTime(at(t + 5400))
            .beginTime(at(t))
            .exitCode(1) // wait status 256
            .workDir("/shared/alice/llm")
            .stdOut("/shared/alice/llm/logs/pretrain-4101.out")
            .stdErr("/shared/alice/llm/logs/pretrain-4101.out")
            .held(false)
            .excludedNodes("gpu01", "gpu02")
            .dependency("")
            .batch(true)
            .gpus(16)
            .build());
    // SPECIAL_EXIT: Slurm 23.02 prints the flag of a job requeued and held on a special exit code
    // in place of its base state, PENDING.
    assertSameJob(
        jobs.get(4102L),
        job(4102)
            .name("eval-sweep")
            .user("bob")
            .partition("gpu")
            .state("PENDING")
            .reason("JobHeldUser")
            .restartCount(1)
            .comment("")
            .nodes()
            .submitTime(at(t + 600))
            .startTime(null)
            .endTime(null)
            .beginTime(null)
            .exitCode(3) // wait status 768, the run before the requeue
            .workDir("/shared/bob/sweep")
            .stdOut("/shared/bob/sweep/slurm-4102.out")
            .stdErr("/shared/bob/sweep/slurm-4102.out")
            .held(true)
            .excludedNodes()
            .dependency("")
            .batch(true)
            .gpus(1)
            .build());
  }

  /** data_parser 0.0.40: the state an array, numbers and times wrapped, the exit an object. */
  @Test
  void slurm2311() throws IOException {
    Map<Long, SchedulerJob> jobs = jobsOf("23.11");
    long t = 1795610000L;

    assertThat(jobs).containsOnlyKeys(5201L, 5202L);
    assertSameJob(
        jobs.get(5201L),
        job(5201)
            .name("resnet-ddp")
            .user("carol")
            .partition("gpu")
            .state("FAILED")
            .reason("NonZeroExitCode")
            .restartCount(0)
            .comment(DIRECTIVE)
            .nodes("gpu07")
            .submitTime(at(t))
            .startTime(at(t + 120))
            .endTime(at(t + 2520))
            .beginTime(at(t))
            .exitCode(139) // SIGNALED by SEGV
            .workDir("/shared/carol/resnet")
            .stdOut("/shared/carol/resnet/out-5201.log")
            .stdErr("/shared/carol/resnet/err-5201.log")
            .held(false)
            .excludedNodes()
            .dependency("")
            .batch(true)
            .gpus(8) // gres/gpu:a100=8
            .build());
    // ["PENDING", "REQUEUED"]: waiting to run again after a requeue; its expected start and end
    // times are not times of a run.
    assertSameJob(
        jobs.get(5202L),
        job(5202)
            .name("resnet-ddp-nodefail")
            .user("carol")
            .partition("gpu")
            .state("PENDING")
            .reason("BeginTime")
            .restartCount(1)
            .comment(DIRECTIVE)
            .nodes()
            .submitTime(at(t + 60))
            .startTime(null)
            .endTime(null)
            .beginTime(at(t + 3720))
            .exitCode(0)
            .workDir("/shared/carol/resnet")
            .stdOut("/shared/carol/resnet/out-5202.log")
            .stdErr("/shared/carol/resnet/err-5202.log")
            .held(false)
            .excludedNodes("gpu07")
            .dependency("")
            .batch(true)
            .gpus(8) // requested: nothing is allocated yet
            .build());
  }

  /** data_parser 0.0.41. */
  @Test
  void slurm2405() throws IOException {
    Map<Long, SchedulerJob> jobs = jobsOf("24.05");
    long t = 1795620000L;

    assertThat(jobs).containsOnlyKeys(6301L, 6302L);
    assertSameJob(
        jobs.get(6301L),
        job(6301)
            .name("llama-ft")
            .user("dave")
            .partition("gpu-long")
            .state("TIMEOUT")
            .reason("TimeLimit")
            .restartCount(2)
            .comment(DIRECTIVE)
            .nodes("gpu11", "gpu12")
            .submitTime(at(t))
            .startTime(at(t + 140))
            .endTime(at(t + 140 + 43200))
            .beginTime(at(t + 130))
            .exitCode(143) // SIGNALED by TERM at the time limit
            .workDir("/shared/dave/llama")
            .stdOut("/shared/dave/llama/ft-6301.out")
            .stdErr("/shared/dave/llama/ft-6301.out")
            .held(false)
            .excludedNodes("gpu10")
            .dependency("")
            .batch(true)
            .gpus(16)
            .build());
    // ["PENDING", "COMPLETING"]: requeued and held while its last run is still ending on gpu13;
    // COMPLETING, as Slurm 22.05 and 23.02 print it, so ajr waits before its next action.
    assertSameJob(
        jobs.get(6302L),
        job(6302)
            .name("llama-eval")
            .user("dave")
            .partition("gpu")
            .state("COMPLETING")
            .reason("JobHeldUser")
            .restartCount(1)
            .comment(DIRECTIVE)
            .nodes("gpu13")
            .submitTime(at(t + 300))
            .startTime(at(t + 310))
            .endTime(at(t + 3900))
            .beginTime(at(t + 4021))
            .exitCode(143)
            .workDir("/shared/dave/llama")
            .stdOut("/shared/dave/llama/eval-6302.out")
            .stdErr("/shared/dave/llama/eval-6302.out")
            .held(true)
            .excludedNodes()
            .dependency("")
            .batch(true)
            .gpus(2)
            .build());
  }

  /** data_parser 0.0.42. */
  @Test
  void slurm2411() throws IOException {
    Map<Long, SchedulerJob> jobs = jobsOf("24.11");
    long t = 1795630000L;

    assertThat(jobs).containsOnlyKeys(7401L, 7402L);
    assertSameJob(
        jobs.get(7401L),
        job(7401)
            .name("gpt-moe")
            .user("erin")
            .partition("gpu")
            .state("RUNNING")
            .reason("None")
            .restartCount(0)
            .comment(DIRECTIVE)
            .nodes("gpu21", "gpu22", "gpu23", "gpu24")
            .submitTime(at(t - 60))
            .startTime(at(t))
            .endTime(null) // Slurm's end_time of a running job is its time limit
            .beginTime(at(t - 60))
            .exitCode(0)
            .workDir("/shared/erin/moe")
            .stdOut("/shared/erin/moe/train-7401.out")
            .stdErr("/shared/erin/moe/train-7401.err")
            .held(false)
            .excludedNodes()
            .dependency("")
            .batch(true)
            .gpus(32)
            .build());
    // ["PENDING", "RESV_DEL_HOLD"]: an salloc job held because its reservation was deleted.
    assertSameJob(
        jobs.get(7402L),
        job(7402)
            .name("interactive")
            .user("frank")
            .partition("gpu")
            .state("PENDING")
            .reason("ReservationDeleted")
            .restartCount(0)
            .comment("")
            .nodes()
            .submitTime(at(t + 100))
            .startTime(null)
            .endTime(null)
            .beginTime(null)
            .exitCode(0)
            .workDir("/home/frank")
            .stdOut("")
            .stdErr("")
            .held(true)
            .excludedNodes()
            .dependency("afterany:7401(unfulfilled)")
            .batch(false)
            .gpus(1)
            .build());
  }
}
