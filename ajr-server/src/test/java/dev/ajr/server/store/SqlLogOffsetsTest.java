package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.logs.FileFollower;
import dev.ajr.server.logs.LogOffsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positions in the log files, on the embedded SQLite file. */
class SqlLogOffsetsTest {

  @TempDir Path dataDir;
  private Database db;
  private SqlLogOffsets offsets;

  @BeforeEach
  void open() {
    db = Database.openSqlite(dataDir);
    offsets = new SqlLogOffsets(db, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void positionsSavedTogetherAreLoadedOneByOneAndReplaceEarlierOnes() {
    offsets.save(24, "/w/slurm-24.out", -1, new FileFollower.Checkpoint(10, 1, 10, 77));
    offsets.saveAll(
        List.of(
            new LogOffsets.Position(
                24, "/w/slurm-24.out", -1, new FileFollower.Checkpoint(30, 3, 30, 99)),
            new LogOffsets.Position(
                24, "/w/train_24.log", 0, new FileFollower.Checkpoint(5, 1, 5, 11)),
            new LogOffsets.Position(
                25, "/w/slurm-25.out", -1, new FileFollower.Checkpoint(7, 1, 7, 12))));

    assertThat(offsets.load(24, "/w/slurm-24.out"))
        .contains(new LogOffsets.Saved(-1, new FileFollower.Checkpoint(30, 3, 30, 99)));
    assertThat(offsets.load(24, "/w/train_24.log"))
        .contains(new LogOffsets.Saved(0, new FileFollower.Checkpoint(5, 1, 5, 11)));

    offsets.forget(24);
    assertThat(offsets.load(24, "/w/slurm-24.out")).isEmpty();
    assertThat(offsets.load(25, "/w/slurm-25.out")).isPresent();
  }

  @Test
  void savingNothingWritesNothing() {
    offsets.saveAll(List.of());

    assertThat(offsets.load(24, "/w/slurm-24.out")).isEmpty();
  }
}
