package dev.ajr.server.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds a job's step logs in its working directory: files whose name holds the job id as a whole
 * token, as in the installation guide's {@code %x_%j_<time>.log} ({@code
 * train_1234_date_25-01-01.log}) or {@code slurm-1234.out}. Pure apart from listing the directory.
 */
public final class JobLogFiles {

  private static final int MAX_ENTRIES = 100_000;

  private JobLogFiles() {}

  /** True when the file name holds the job id as a token delimited by {@code _ - .} or the ends. */
  public static boolean belongsTo(String fileName, long jobId) {
    return Pattern.compile("(?:^|[_.-])" + jobId + "(?:[_.-]|$)").matcher(fileName).find();
  }

  /**
   * The attempt a newly found step log belongs to: the current one, or the one before when the file
   * was last written before the current attempt started (its last lines, read late).
   *
   * @param startTime when the current attempt started, or null while unknown
   */
  public static int attemptOf(Path file, int currentAttempt, Instant startTime) {
    if (currentAttempt == 0 || startTime == null) {
      return currentAttempt;
    }
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      // Slurm's start time has whole seconds: allow for it.
      return modified.isBefore(startTime.minusSeconds(1)) ? currentAttempt - 1 : currentAttempt;
    } catch (IOException e) {
      return currentAttempt;
    }
  }

  /** Regular files in the directory whose name belongs to the job; empty when it cannot be read. */
  public static List<Path> find(Path workDir, long jobId) {
    List<Path> found = new ArrayList<>();
    String token = Long.toString(jobId);
    int seen = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(workDir)) {
      for (Path entry : entries) {
        if (++seen > MAX_ENTRIES) {
          break;
        }
        String name = entry.getFileName().toString();
        if (name.contains(token) && belongsTo(name, jobId) && Files.isRegularFile(entry)) {
          found.add(entry);
        }
      }
    } catch (IOException | SecurityException e) {
      return found;
    }
    return found;
  }
}
