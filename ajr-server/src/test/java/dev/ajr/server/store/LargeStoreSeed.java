package dev.ajr.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Writes a large, realistic cluster history straight into a migrated database, fast (batched
 * inserts in one transaction), for benchmarks and scale tests: jobs of 40 users on 5 partitions
 * submitted over 30 days, each with {@code attemptsPerJob} attempts on a 512-node cluster, an
 * anomaly on about 30% of the attempts (eight causes, a cascade NCCL symptom on some), a decision
 * on each such attempt's first anomaly with its actions (RESTART: requeue held, start now, release;
 * STOP on the last attempt: cancel). The same seed always writes the same data. Job ids and row ids
 * continue after those already stored.
 */
public final class LargeStoreSeed {

  /** The newest submit time written; jobs go back 30 days from here. */
  public static final Instant NEWEST = Instant.parse("2026-03-01T00:00:00Z");

  static final List<String> PARTITIONS = List.of("gpu", "gpu-large", "a100", "debug", "preempt");
  static final int USERS = 40;
  static final int NODES = 512;

  /** How much was written. */
  public record Counts(
      long firstJobId, int jobs, int attempts, int anomalies, int decisions, int actions) {}

  private record Fault(String cause, String type, String rule, String action, String line) {}

  private static final List<Fault> FAULTS =
      List.of(
          new Fault(
              "CRASH_SEGFAULT",
              "CRASH",
              "crash.segfault",
              "REQUEUE",
              "Rank%d: (1) segmentation fault: address not mapped"),
          new Fault(
              "GPU_HARDWARE",
              "CRASH",
              "gpu.xid79",
              "REQUEUE_EXCLUDE_NODE",
              "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus (rank %d)"),
          new Fault(
              "CUDA_ERROR",
              "CRASH",
              "cuda.ecc-uncorrectable",
              "REQUEUE_EXCLUDE_NODE",
              "RuntimeError: CUDA error: uncorrectable ECC error encountered (rank %d)"),
          new Fault(
              "OOM_GPU",
              "CRASH",
              "oom.cuda",
              "STOP",
              "torch.OutOfMemoryError: CUDA out of memory (rank %d)"),
          new Fault(
              "NETWORK_INFINIBAND",
              "CRASH",
              "ib.link-down",
              "REQUEUE_EXCLUDE_NODE",
              "mlx5_core: Port module event: link down (rank %d)"),
          new Fault(
              "STORAGE_IO",
              "CRASH",
              "io.lustre-eio",
              "REQUEUE",
              "OSError: [Errno 5] Input/output error: '/lustre/ckpt/step' (rank %d)"),
          new Fault(
              "HANG",
              "HANG",
              "monitor.hang",
              "REQUEUE",
              "no progress line for 1800 s (last iteration %d)"),
          new Fault(
              "PYTHON_USER_ERROR",
              "CRASH",
              "python.traceback",
              "STOP",
              "KeyError: 'optimizer' (rank %d)"));

  private static final Fault NCCL_SYMPTOM =
      new Fault(
          "NCCL_ERROR",
          "CRASH",
          "nccl.watchdog-timeout",
          "REQUEUE",
          "[Rank %d] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1)");

  private static final String[] MODELS = {"llama", "mistral", "gpt-neox", "bert", "vit", "t5"};
  private static final String[] TASKS = {"pretrain", "finetune", "eval", "sweep", "distill"};
  private static final String[] FINAL = {
    "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "FAILED",
    "STOPPED", "CANCELLED", "RUNNING", "RUNNING", "PENDING", "RECOVERING", "LOST"
  };

  private LargeStoreSeed() {}

  /** Seeds {@code jobs} jobs of {@code attemptsPerJob} attempts each; see the class comment. */
  public static Counts seed(Database db, int jobs, int attemptsPerJob, long randomSeed) {
    return db.inTransaction(c -> write(c, db.dialect(), jobs, attemptsPerJob, randomSeed));
  }

  private static Counts write(
      Connection c, Dialect dialect, int jobs, int attemptsPerJob, long randomSeed)
      throws SQLException {
    Random random = new Random(randomSeed);
    long firstJob = max(c, "SELECT MAX(job_id) FROM jobs") + 1;
    long anomalyId = max(c, "SELECT MAX(id) FROM anomalies");
    long decisionId = max(c, "SELECT MAX(id) FROM decisions");
    int attempts = 0;
    int anomalies = 0;
    int decisions = 0;
    int actions = 0;
    long span = Duration.ofDays(30).toMillis();
    try (Batch jobRows =
            new Batch(
                c,
                "INSERT INTO jobs (job_id, name, user_name, partition_name,"
                    + " work_dir, std_out, std_err, comment, directive_status, resume_mode,"
                    + " max_requeue_times, directive_problem, status, status_reason, submit_time,"
                    + " first_seen, updated_at, gpus) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?)");
        Batch attemptRows =
            new Batch(
                c,
                "INSERT INTO attempts (job_id, attempt_index, state,"
                    + " nodes, start_time, end_time, exit_code, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?,"
                    + " ?)");
        Batch anomalyRows =
            new Batch(
                c,
                "INSERT INTO anomalies (id, job_id, attempt_index, type,"
                    + " cause, rule_id, action, line, source, line_number, node, line_written_at,"
                    + " line_read_at, detected_at, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?)");
        Batch decisionRows =
            new Batch(
                c,
                "INSERT INTO decisions (id, job_id, attempt_index,"
                    + " operation, reasons, anomaly_id, state, stops_job, stop_reason, created_at,"
                    + " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Batch actionRows =
            new Batch(
                c,
                "INSERT INTO actions (decision_id, seq, kind,"
                    + " target_job_id, nodes, state, tries, outcome, started_at, finished_at) VALUES (?,"
                    + " ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int j = 0; j < jobs; j++) {
        long jobId = firstJob + j;
        // ids grow with submit time, with some jitter: a job's id and its time order differ a bit
        long submit =
            NEWEST.toEpochMilli() - span + span * (j + 1) / jobs - random.nextInt(600_000);
        String user = String.format("user%02d", skewed(random, USERS));
        String partition = PARTITIONS.get(skewed(random, PARTITIONS.size()));
        String name =
            MODELS[random.nextInt(MODELS.length)]
                + "-"
                + TASKS[random.nextInt(TASKS.length)]
                + "-"
                + (random.nextInt(900) + 100);
        String status = FINAL[random.nextInt(FINAL.length)];
        String dir = "/lustre/home/" + user + "/run-" + jobId;
        jobRows.add(
            jobId,
            name,
            user,
            partition,
            dir,
            dir + "/slurm-" + jobId + ".out",
            "",
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": "
                + attemptsPerJob
                + "}}",
            "VALID",
            "requeue",
            attemptsPerJob,
            null,
            status,
            "",
            random.nextInt(33) == 0 ? null : submit,
            submit + 2_000,
            submit + 3_600_000,
            8 * (1 + random.nextInt(16)));
        long start = submit + 60_000;
        for (int a = 0; a < attemptsPerJob; a++) {
          boolean last = a == attemptsPerJob - 1;
          int firstNode = random.nextInt(NODES - 4);
          String nodes = node(firstNode) + "," + node(firstNode + 1);
          long end = start + 600_000 + random.nextInt(3_000_000);
          boolean faulty = random.nextInt(10) < 3;
          String state =
              !last
                  ? "KILLED"
                  : status.equals("COMPLETED")
                      ? "COMPLETED"
                      : status.equals("RUNNING") || status.equals("RECOVERING")
                          ? "RUNNING"
                          : "FAILED";
          boolean ended = !state.equals("RUNNING");
          attemptRows.add(
              jobId,
              a,
              state,
              nodes,
              start,
              ended ? end : null,
              ended ? (state.equals("COMPLETED") ? 0 : 137) : null,
              faulty && ended ? "killed by ajr" : "");
          attempts++;
          if (faulty) {
            Fault fault = FAULTS.get(random.nextInt(FAULTS.size()));
            String node = random.nextBoolean() ? node(firstNode) : node(firstNode + 1);
            long written = end - 1_000;
            anomalyRows.add(
                ++anomalyId,
                jobId,
                a,
                fault.type(),
                fault.cause(),
                fault.rule(),
                fault.action(),
                String.format(fault.line(), random.nextInt(64)),
                dir + "/slurm-" + jobId + ".out",
                1_000L + random.nextInt(100_000),
                node,
                written,
                written + 120,
                written + 150,
                "JOB_OUTPUT");
            anomalies++;
            long rootId = anomalyId;
            if (random.nextInt(5) == 0) {
              anomalyRows.add(
                  ++anomalyId,
                  jobId,
                  a,
                  NCCL_SYMPTOM.type(),
                  NCCL_SYMPTOM.cause(),
                  NCCL_SYMPTOM.rule(),
                  NCCL_SYMPTOM.action(),
                  String.format(NCCL_SYMPTOM.line(), random.nextInt(64)),
                  dir + "/slurm-" + jobId + ".out",
                  200_000L + random.nextInt(100_000),
                  node,
                  written + 500,
                  written + 620,
                  written + 650,
                  "JOB_OUTPUT");
              anomalies++;
            }
            boolean stop = last || fault.action().equals("STOP");
            decisionRows.add(
                ++decisionId,
                jobId,
                a,
                stop ? "STOP" : "RESTART",
                stop
                    ? "[\"" + fault.cause() + " is not retried\"]"
                    : "[\"recovery " + (a + 1) + " of " + attemptsPerJob + "\"]",
                rootId,
                "DONE",
                stop ? 1 : 0,
                stop ? "stopped after " + fault.cause() : "",
                written + 200,
                written + 3_000);
            decisions++;
            List<String> kinds =
                stop ? List.of("CANCEL") : List.of("REQUEUE_HOLD", "START_NOW", "RELEASE");
            for (int k = 0; k < kinds.size(); k++) {
              actionRows.add(
                  decisionId,
                  k,
                  kinds.get(k),
                  jobId,
                  "",
                  "VERIFIED",
                  1,
                  "verified: job " + jobId,
                  written + 300 + k * 500L,
                  written + 700 + k * 500L);
              actions++;
            }
          }
          start = end + 30_000;
        }
        if ((j + 1) % 100 == 0 || j == jobs - 1) {
          // parents before children, for the foreign keys
          for (Batch b : List.of(jobRows, attemptRows, anomalyRows, decisionRows, actionRows)) {
            b.flush();
          }
        }
      }
    }
    if (dialect == Dialect.POSTGRESQL) {
      try (Statement s = c.createStatement()) {
        for (String table : List.of("anomalies", "decisions")) {
          s.execute(
              "SELECT setval(pg_get_serial_sequence('"
                  + table
                  + "', 'id'),"
                  + " (SELECT MAX(id) FROM "
                  + table
                  + "))");
        }
      }
    }
    return new Counts(firstJob, jobs, attempts, anomalies, decisions, actions);
  }

  /** Small numbers more often than large ones: a few heavy users and a busy partition. */
  private static int skewed(Random random, int n) {
    double x = random.nextDouble();
    return (int) (x * x * n);
  }

  private static String node(int n) {
    return String.format("node%04d", n + 1);
  }

  private static long max(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A prepared insert whose rows are sent together when flushed. */
  private static final class Batch implements AutoCloseable {
    private final PreparedStatement statement;
    private int pending;

    Batch(Connection c, String sql) throws SQLException {
      statement = c.prepareStatement(sql);
    }

    void add(Object... values) throws SQLException {
      Database.bind(statement, values);
      statement.addBatch();
      pending++;
    }

    void flush() throws SQLException {
      if (pending > 0) {
        statement.executeBatch();
        pending = 0;
      }
    }

    @Override
    public void close() throws SQLException {
      statement.close();
    }
  }
}
