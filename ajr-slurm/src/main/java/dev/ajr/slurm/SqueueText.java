package dev.ajr.slurm;

import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text form of {@code squeue} that ajr reads: the fields it needs and nothing else, one record
 * per job, at a small fraction of the size and cost of {@code squeue --json}.
 *
 * <p>The format goes to {@code squeue} in the environment ({@code SQUEUE_FORMAT2}, the same as
 * {@code -O}), with {@code SLURM_TIME_FORMAT=%s} so times are epoch seconds. Fields Slurm writes
 * itself (states, numbers, times, node lists) end with {@code |}. Fields a job's owner chooses
 * (name, working directory, output paths, comment) may hold any character, {@code |} and newlines
 * included, so each ends with a separator drawn at random for each call: a job cannot print a
 * separator it cannot know, and the environment of ajr's {@code squeue} is not readable by other
 * users the way its arguments are. A record that does not fit the format means that this {@code
 * squeue} prints differently from what ajr expects, and fails the whole read.
 *
 * <p>{@code squeue -O} has no field for a job's excluded nodes; {@link #EXCLUDED_FORMAT} reads them
 * with {@code -o} for single look-ups. Instances are immutable and thread-safe.
 */
final class SqueueText {

  /** The {@code -o} format of a job's excluded nodes: a host list Slurm writes itself. */
  static final String EXCLUDED_FORMAT = "%x";

  private enum Kind {
    /** Written by Slurm: never holds {@code |}. */
    SLURM,
    /** Chosen by the job's owner: any text. */
    OWNER
  }

  private enum Field {
    JOB_ID("JobID", Kind.SLURM),
    NAME("Name", Kind.OWNER),
    USER("UserName", Kind.SLURM),
    PARTITION("Partition", Kind.SLURM),
    STATE("State", Kind.SLURM),
    REASON("Reason", Kind.SLURM),
    RESTARTS("RestartCnt", Kind.SLURM),
    NODES("NodeList", Kind.SLURM),
    SUBMIT("SubmitTime", Kind.SLURM),
    START("StartTime", Kind.SLURM),
    END("EndTime", Kind.SLURM),
    ELIGIBLE("EligibleTime", Kind.SLURM),
    EXIT("exit_code", Kind.SLURM),
    PRIORITY("PriorityLong", Kind.SLURM),
    DEPENDENCY("Dependency", Kind.SLURM),
    BATCH("BatchFlag", Kind.SLURM),
    TRES("tres-alloc", Kind.SLURM),
    WORK_DIR("WorkDir", Kind.OWNER),
    STDOUT("STDOUT", Kind.OWNER),
    STDERR("STDERR", Kind.OWNER),
    // Last: its separator and the line end close the record.
    COMMENT("Comment", Kind.OWNER);

    final String name;
    final Kind kind;

    Field(String name, Kind kind) {
      this.name = name;
      this.kind = kind;
    }
  }

  private static final Field[] FIELDS = Field.values();
  private static final String SLURM_END = "|";
  private static final char[] LETTERS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String separator;

  private SqueueText(String separator) {
    this.separator = separator;
  }

  /** A format with a fresh random separator, for one call of {@code squeue}. */
  static SqueueText fresh() {
    char[] nonce = new char[12];
    for (int i = 0; i < nonce.length; i++) {
      nonce[i] = LETTERS[RANDOM.nextInt(LETTERS.length)];
    }
    // Starts with a control character: never a digit or '.', which -O would read as a width.
    return new SqueueText("\u001f" + new String(nonce));
  }

  /** A format with this separator; for tests, whose answers must use it. */
  static SqueueText withSeparator(String separator) {
    return new SqueueText(separator);
  }

  /** The environment that makes {@code squeue} print this format. */
  Map<String, String> environment() {
    StringBuilder format = new StringBuilder();
    for (Field f : FIELDS) {
      if (!format.isEmpty()) {
        format.append(',');
      }
      format.append(f.name).append(':').append(f.kind == Kind.OWNER ? separator : SLURM_END);
    }
    return Map.of("SQUEUE_FORMAT2", format.toString(), "SLURM_TIME_FORMAT", "%s");
  }

  /** The jobs of {@code squeue -h} output in this format. */
  List<SchedulerJob> parse(String output) throws IOException {
    List<SchedulerJob> jobs = new ArrayList<>();
    String recordEnd = separator + "\n";
    int at = 0;
    while (at < output.length()) {
      if (output.charAt(at) == '\n') {
        at++;
        continue;
      }
      String[] values = new String[FIELDS.length];
      int lineEnd = -1; // the end of the line the field starts on, found once per line
      for (Field f : FIELDS) {
        String end = f == Field.COMMENT ? recordEnd : f.kind == Kind.OWNER ? separator : SLURM_END;
        int stop = output.indexOf(end, at);
        if (f.kind == Kind.SLURM && lineEnd < at) {
          lineEnd = output.indexOf('\n', at);
          lineEnd = lineEnd < 0 ? output.length() : lineEnd;
        }
        if (stop < 0 && f == Field.COMMENT && output.endsWith(separator)) {
          stop = output.length() - separator.length(); // the last record, without its line end
        }
        if (stop < 0 || (f.kind == Kind.SLURM && lineEnd < stop)) {
          throw new IOException(
              "squeue printed a job ajr cannot read (no "
                  + f.name
                  + " field where expected): "
                  + excerpt(output, at));
        }
        values[f.ordinal()] = output.substring(at, stop);
        at = stop + end.length();
      }
      jobs.add(toJob(values));
    }
    return jobs;
  }

  private static SchedulerJob toJob(String[] v) throws IOException {
    long jobId = number(v, Field.JOB_ID);
    String state = SlurmJobState.ofWord(text(v, Field.STATE));
    String reason = text(v, Field.REASON);
    long priority = v[Field.PRIORITY.ordinal()].isBlank() ? -1 : number(v, Field.PRIORITY);
    String exit = text(v, Field.EXIT);
    return new SchedulerJob(
        jobId,
        text(v, Field.NAME),
        text(v, Field.USER),
        text(v, Field.PARTITION),
        state,
        reason,
        (int) number(v, Field.RESTARTS),
        text(v, Field.COMMENT),
        SlurmHostlist.expand(text(v, Field.NODES)),
        time(v, Field.SUBMIT),
        "PENDING".equals(state) ? null : time(v, Field.START),
        SlurmJobState.hasEnded(state) ? time(v, Field.END) : null,
        time(v, Field.ELIGIBLE),
        exit.isEmpty() || !exit.chars().allMatch(Character::isDigit)
            ? null
            : SlurmExitCode.fromWaitStatus(Long.parseLong(exit)),
        text(v, Field.WORK_DIR),
        text(v, Field.STDOUT),
        text(v, Field.STDERR),
        priority == 0 || reason.startsWith("JobHeld"),
        List.of(),
        text(v, Field.DEPENDENCY),
        !"0".equals(text(v, Field.BATCH)),
        Tres.gpus(text(v, Field.TRES)));
  }

  /** The value, with Slurm's words for "nothing" as the empty string. */
  private static String text(String[] v, Field f) {
    String value = v[f.ordinal()].strip();
    return value.equals("(null)") ? "" : value;
  }

  private static long number(String[] v, Field f) throws IOException {
    String value = text(v, f);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException(
          "squeue printed \"" + value + "\" where ajr expects a number (" + f.name + ")");
    }
  }

  private static Instant time(String[] v, Field f) {
    return SlurmTime.of(text(v, f));
  }

  private static String excerpt(String output, int at) {
    int end = Math.min(output.length(), at + 200);
    return output.substring(at, end).replace('\u001f', '~').replace('\n', ' ');
  }
}
