package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLogFilesTest {

  private static final String VERIFICATION_LOG =
      "ajr-verification-requeue-test_24_date_26-11-27_time_12-41-53.log";

  @Test
  void aStepLogNamedAfterTheInstallationGuideBelongsToItsJobOnly() {
    assertThat(JobLogFiles.belongsTo(VERIFICATION_LOG, 24)).isTrue();
    assertThat(JobLogFiles.belongsTo(VERIFICATION_LOG, 2)).isFalse();
    assertThat(JobLogFiles.belongsTo(VERIFICATION_LOG, 241)).isFalse();
  }

  @Test
  void slurmsDefaultOutputBelongsToItsJob() {
    assertThat(JobLogFiles.belongsTo("slurm-24.out", 24)).isTrue();
    assertThat(JobLogFiles.belongsTo("slurm-24.out", 4)).isFalse();
  }

  @Test
  void anIdInsideALongerNumberDoesNotBelong() {
    assertThat(JobLogFiles.belongsTo("train_1240_x.log", 24)).isFalse();
    assertThat(JobLogFiles.belongsTo("train_1240_x.log", 124)).isFalse();
    assertThat(JobLogFiles.belongsTo("train_1240_x.log", 1240)).isTrue();
  }

  @Test
  void theIdAtEitherEndOfTheNameBelongs() {
    assertThat(JobLogFiles.belongsTo("24_train.log", 24)).isTrue();
    assertThat(JobLogFiles.belongsTo("train.24", 24)).isTrue();
    assertThat(JobLogFiles.belongsTo("24", 24)).isTrue();
  }

  @Test
  void findListsOnlyRegularFilesOfTheJob(@TempDir Path dir) throws IOException {
    Path step = Files.writeString(dir.resolve(VERIFICATION_LOG), "x\n");
    Path out = Files.writeString(dir.resolve("slurm-24.out"), "y\n");
    Files.writeString(dir.resolve("train_1240_x.log"), "other job\n");
    Files.writeString(dir.resolve("slurm-2.out"), "other job\n");
    Files.writeString(dir.resolve("notes.txt"), "no job\n");
    Files.createDirectory(dir.resolve("checkpoints_24"));

    assertThat(JobLogFiles.find(dir, 24)).containsExactlyInAnyOrder(step, out);
  }

  @Test
  void findInAMissingDirectoryIsEmpty(@TempDir Path dir) {
    assertThat(JobLogFiles.find(dir.resolve("missing"), 24)).isEmpty();
  }

  @Test
  void ownersAreTheJobsWhoseIdIsATokenOfTheName() {
    assertThat(JobLogFiles.owners(VERIFICATION_LOG, java.util.Set.of(24L, 2L, 241L)))
        .containsExactly(24L);
    assertThat(JobLogFiles.owners("slurm-24.out", java.util.Set.of(4L))).isEmpty();
    assertThat(JobLogFiles.owners("pair_24_25.log", java.util.Set.of(24L, 25L)))
        .containsExactlyInAnyOrder(24L, 25L);
    assertThat(JobLogFiles.owners("train_99999999999999999999.log", java.util.Set.of(24L)))
        .isEmpty();
  }

  @Test
  void findForManyJobsListsTheDirectoryOnceAndSortsTheFilesByJob(@TempDir Path dir)
      throws IOException {
    Path a = Files.writeString(dir.resolve("slurm-24.out"), "x\n");
    Path b = Files.writeString(dir.resolve("train_25_rank0.log"), "y\n");
    Files.writeString(dir.resolve("slurm-26.out"), "not asked for\n");

    assertThat(JobLogFiles.find(dir, java.util.Set.of(24L, 25L, 27L)))
        .containsOnlyKeys(24L, 25L)
        .containsEntry(24L, java.util.List.of(a))
        .containsEntry(25L, java.util.List.of(b));
  }
}
