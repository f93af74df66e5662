package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.store.JobFilter;
import dev.ajr.core.store.JobTimeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark seeder writes what it says, readable through the stores. */
class LargeStoreSeedTest {

  @TempDir Path dataDir;

  @Test
  void seedsJobsAttemptsAnomaliesAndDecisionsThatTheBrowserReads() {
    try (Database db = Database.openSqlite(dataDir)) {
      LargeStoreSeed.Counts counts = LargeStoreSeed.seed(db, 200, 5, 7);
      LargeStoreSeed.Counts more = LargeStoreSeed.seed(db, 10, 2, 8);

      assertThat(counts.attempts()).isEqualTo(1_000);
      assertThat(counts.anomalies()).isBetween(250, 450); // about 30% of attempts, some twice
      assertThat(counts.decisions()).isBetween(200, 400).isLessThan(counts.anomalies());
      assertThat(more.firstJobId()).isEqualTo(counts.firstJobId() + 200);
      SqlJobBrowser browser = new SqlJobBrowser(db);
      assertThat(browser.count(JobFilter.page(1, 0))).isEqualTo(210);
      List<JobTimeline> page = browser.jobs(JobFilter.page(250, 0));
      assertThat(page).hasSize(210);
      assertThat(page.stream().mapToLong(t -> t.attempts().size()).sum()).isEqualTo(1_020);
      long decided =
          page.stream()
              .flatMap(t -> t.attempts().stream())
              .flatMap(a -> a.anomalies().stream())
              .filter(e -> e.decision() != null)
              .count();
      assertThat(decided).isEqualTo(counts.decisions() + more.decisions());
      assertThat(browser.facets(null).partitions())
          .isEqualTo(LargeStoreSeed.PARTITIONS.stream().sorted().toList());
      assertThat(db.queryOne("SELECT COUNT(*) AS n FROM actions", r -> r.getInt("n")))
          .contains(counts.actions() + more.actions());
      assertThat(counts.actions()).isGreaterThanOrEqualTo(counts.decisions());
    }
  }
}
