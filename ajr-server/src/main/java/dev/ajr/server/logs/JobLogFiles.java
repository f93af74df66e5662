package dev.ajr.server.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds a job's step logs in its working directory: files whose name holds the job id as a whole
 * token, as in the installation guide's {@code %x_%j_<time>.log} ({@code
 * train_1234_date_25-01-01.log}) or {@code slurm-1234.out}. Pure apart from listing the directory.
 */
public final class JobLogFiles {

  private static final int MAX_ENTRIES = 100_000;
  private static final Pattern DELIMITERS = Pattern.compile("[_.-]");

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

  /**
   * The ids among {@code jobIds} that the file name holds as a token ({@link #belongsTo}), found
   * without a regular expression per job.
   */
  public static List<Long> owners(String fileName, Set<Long> jobIds) {
    List<Long> owners = new ArrayList<>(1);
    for (String token : DELIMITERS.split(fileName, -1)) {
      if (token.isEmpty() || token.length() > 18 || !allDigits(token)) {
        continue;
      }
      long id = Long.parseLong(token);
      if (jobIds.contains(id) && !owners.contains(id)) {
        owners.add(id);
      }
    }
    return owners;
  }

  private static boolean allDigits(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Regular files in the directory whose name belongs to the job; empty when it cannot be read. */
  public static List<Path> find(Path workDir, long jobId) {
    return find(workDir, Set.of(jobId)).getOrDefault(jobId, List.of());
  }

  /**
   * The regular files in the directory that belong to each of the jobs, listing the directory once
   * however many jobs share it; jobs with no file are left out. Empty when it cannot be read.
   */
  public static Map<Long, List<Path>> find(Path workDir, Set<Long> jobIds) {
    Map<Long, List<Path>> found = new HashMap<>();
    int seen = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(workDir)) {
      for (Path entry : entries) {
        if (++seen > MAX_ENTRIES) {
          break;
        }
        List<Long> owners = owners(entry.getFileName().toString(), jobIds);
        if (!owners.isEmpty() && Files.isRegularFile(entry)) {
          for (long id : owners) {
            found.computeIfAbsent(id, k -> new ArrayList<>()).add(entry);
          }
        }
      }
    } catch (IOException | SecurityException e) {
      return found;
    }
    return found;
  }
}
