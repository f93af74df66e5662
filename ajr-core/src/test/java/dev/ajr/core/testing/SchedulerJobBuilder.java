package dev.ajr.core.testing;

import dev.ajr.core.scheduler.SchedulerJob;
import java.time.Instant;
import java.util.List;

/** Builds {@link SchedulerJob} snapshots; starts from a running, opted-in batch job. */
public final class SchedulerJobBuilder {

  public static final String REQUEUE_COMMENT =
      "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}";

  private long jobId;
  private String name = "train";
  private String user = "alice";
  private String partition = "debug";
  private String state = "RUNNING";
  private String stateReason = "None";
  private int restartCount;
  private String comment = REQUEUE_COMMENT;
  private List<String> nodes = List.of("node1");
  private Instant submitTime = Instant.parse("2026-01-01T00:00:00Z");
  private Instant startTime = Instant.parse("2026-01-01T00:00:01Z");
  private Instant endTime;
  private Instant beginTime = Instant.parse("2026-01-01T00:00:00Z");
  private Integer exitCode;
  private String workDir = "/work/alice";
  private String stdOut = "/work/alice/train.out";
  private String stdErr = "/work/alice/train.out";
  private boolean held;
  private List<String> excludedNodes = List.of();
  private String dependency = "";
  private boolean batch = true;
  private int gpus;

  private SchedulerJobBuilder(long jobId) {
    this.jobId = jobId;
  }

  public static SchedulerJobBuilder job(long jobId) {
    return new SchedulerJobBuilder(jobId);
  }

  public static SchedulerJobBuilder from(SchedulerJob j) {
    SchedulerJobBuilder b = new SchedulerJobBuilder(j.jobId());
    b.name = j.name();
    b.user = j.user();
    b.partition = j.partition();
    b.state = j.state();
    b.stateReason = j.stateReason();
    b.restartCount = j.restartCount();
    b.comment = j.comment();
    b.nodes = j.nodes();
    b.submitTime = j.submitTime();
    b.startTime = j.startTime();
    b.endTime = j.endTime();
    b.beginTime = j.beginTime();
    b.exitCode = j.exitCode();
    b.workDir = j.workDir();
    b.stdOut = j.stdOut();
    b.stdErr = j.stdErr();
    b.held = j.held();
    b.excludedNodes = j.excludedNodes();
    b.dependency = j.dependency();
    b.batch = j.batch();
    b.gpus = j.gpus();
    return b;
  }

  public SchedulerJobBuilder name(String value) {
    name = value;
    return this;
  }

  public SchedulerJobBuilder user(String value) {
    user = value;
    return this;
  }

  public SchedulerJobBuilder partition(String value) {
    partition = value;
    return this;
  }

  public SchedulerJobBuilder state(String value) {
    state = value;
    return this;
  }

  public SchedulerJobBuilder reason(String value) {
    stateReason = value;
    return this;
  }

  public SchedulerJobBuilder restartCount(int value) {
    restartCount = value;
    return this;
  }

  public SchedulerJobBuilder comment(String value) {
    comment = value;
    return this;
  }

  public SchedulerJobBuilder nodes(String... value) {
    nodes = List.of(value);
    return this;
  }

  public SchedulerJobBuilder submitTime(Instant value) {
    submitTime = value;
    return this;
  }

  public SchedulerJobBuilder startTime(Instant value) {
    startTime = value;
    return this;
  }

  public SchedulerJobBuilder endTime(Instant value) {
    endTime = value;
    return this;
  }

  public SchedulerJobBuilder beginTime(Instant value) {
    beginTime = value;
    return this;
  }

  public SchedulerJobBuilder exitCode(Integer value) {
    exitCode = value;
    return this;
  }

  public SchedulerJobBuilder workDir(String value) {
    workDir = value;
    return this;
  }

  public SchedulerJobBuilder stdOut(String value) {
    stdOut = value;
    return this;
  }

  public SchedulerJobBuilder stdErr(String value) {
    stdErr = value;
    return this;
  }

  public SchedulerJobBuilder held(boolean value) {
    held = value;
    return this;
  }

  public SchedulerJobBuilder excludedNodes(String... value) {
    excludedNodes = List.of(value);
    return this;
  }

  public SchedulerJobBuilder dependency(String value) {
    dependency = value;
    return this;
  }

  public SchedulerJobBuilder batch(boolean value) {
    batch = value;
    return this;
  }

  public SchedulerJobBuilder gpus(int value) {
    gpus = value;
    return this;
  }

  public SchedulerJob build() {
    return new SchedulerJob(
        jobId,
        name,
        user,
        partition,
        state,
        stateReason,
        restartCount,
        comment,
        nodes,
        submitTime,
        startTime,
        endTime,
        beginTime,
        exitCode,
        workDir,
        stdOut,
        stdErr,
        held,
        excludedNodes,
        dependency,
        batch,
        gpus);
  }
}
