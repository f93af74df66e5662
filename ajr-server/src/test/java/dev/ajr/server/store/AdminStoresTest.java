package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The read side of the KPIs, the audit trail and the user administration on SQLite, MariaDB and
 * PostgreSQL, on the recorded recovery of {@link KpiFixture}.
 */
class AdminStoresTest {

  private static final Instant T0 = KpiFixture.T0;
  private static final Instant SINCE = T0.minus(Duration.ofDays(1));
  private static final Instant UNTIL = T0.plus(Duration.ofDays(1));
  // run time: job 24 30.3 s + 58.1 s, job 25 30.5 s + 30 s; lost: job 24 10 s of work + 5 s restart
  private static final double RUN_MS = 30_300 + 58_100 + 30_500 + 30_000;
  private static final double LOST_MS = 15_000;

  @TempDir Path dir;
  private final String name = TestDatabases.newName();
  private Dialect dialect;
  private Database db;

  private Database open(Dialect d) {
    dialect = d;
    db =
        switch (d) {
          case SQLITE -> Database.openSqlite(dir);
          case MARIADB ->
              Database.open(
                  new Database.Settings(TestDatabases.createMariaDb(name), "root", "", 2, true));
          case POSTGRESQL ->
              Database.open(
                  new Database.Settings(
                      TestDatabases.createPostgres(name), "postgres", "", 2, true));
        };
    return db;
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
    if (dialect == Dialect.MARIADB) {
      TestDatabases.dropMariaDb(name);
    } else if (dialect == Dialect.POSTGRESQL) {
      TestDatabases.dropPostgres(name);
    }
  }

  private SqlKpis seeded(Dialect d) {
    Database database = open(d);
    KpiFixture.seed(database, new SqlRecoveryStore(database, Clock.fixed(T0, ZoneOffset.UTC)));
    return new SqlKpis(database);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theClusterKpisOfTheRecordedRecovery(Dialect d) {
    SqlKpis kpis = seeded(d);
    db.update(
        "INSERT INTO nodes (name, health, reason, evidence, anomaly_id, since)"
            + " VALUES ('node1', 'DRAINED', 'gpu', '', 0, 0)");

    SqlKpis.Report r = kpis.report(SINCE, UNTIL, null);

    assertThat(r.since()).isEqualTo(SINCE);
    assertThat(r.until()).isEqualTo(UNTIL);
    assertThat(r.goodput().ratio()).isCloseTo((RUN_MS - LOST_MS) / RUN_MS, within(1e-9));
    assertThat(r.goodput().runHours()).isCloseTo(RUN_MS / 3_600_000, within(1e-9));
    assertThat(r.goodput().lostHours()).isCloseTo(LOST_MS / 3_600_000, within(1e-9));
    // two restarts; only job 24 has checkpoint lines (17.3 s from saved to loaded)
    assertThat(r.downtime())
        .isEqualTo(new SqlKpis.Downtime(2, 17_300.0, 150.0, 250.0, 2_500.0, 5_000.0, 10_000.0));
    // fault line to next attempt: 300 ms + 2 s, 500 ms + 3 s; the stop has no next attempt
    assertThat(r.mttr()).isEqualTo(new SqlKpis.Mttr(2, 2_900.0, 2_300L, 3_500L));
    assertThat(r.recoveriesByCause())
        .containsExactly(
            new SqlKpis.CauseCount("CRASH_SEGFAULT", 1), new SqlKpis.CauseCount("GPU_HARDWARE", 1));
    assertThat(r.lemonNodes()).containsExactly(new SqlKpis.LemonNode("node1", 2, 3, "DRAINED"));
    assertThat(r.daily())
        .extracting(SqlKpis.Day::day)
        .containsExactly("2026-11-26", "2026-11-27", "2026-11-28");
    SqlKpis.Day day = r.daily().get(1);
    assertThat(day.recoveries()).isEqualTo(2);
    assertThat(day.failures()).isEqualTo(3);
    assertThat(day.goodputRatio()).isCloseTo((RUN_MS - LOST_MS) / RUN_MS, within(1e-9));
    assertThat(r.daily().get(0)).isEqualTo(new SqlKpis.Day("2026-11-26", 0, 0, null));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aViewerSeesOnlyTheirOwnJobsAndNoNodes(Dialect d) {
    SqlKpis kpis = seeded(d);

    SqlKpis.Report alice = kpis.report(SINCE, UNTIL, "alice");
    assertThat(alice.lemonNodes()).isEmpty();
    assertThat(alice.mttr().count()).isEqualTo(2);
    assertThat(alice.downtime().interruptions()).isEqualTo(2);
    assertThat(alice.goodput().runHours()).isCloseTo(RUN_MS / 3_600_000, within(1e-9));
    assertThat(alice.daily().get(1).failures()).isEqualTo(3);

    SqlKpis.Report bob = kpis.report(SINCE, UNTIL, "bob");
    assertThat(bob.goodput()).isEqualTo(new SqlKpis.Goodput(null, 0, 0));
    assertThat(bob.downtime())
        .isEqualTo(new SqlKpis.Downtime(0, null, null, null, null, null, null));
    assertThat(bob.mttr()).isEqualTo(new SqlKpis.Mttr(0, null, null, null));
    assertThat(bob.recoveriesByCause()).isEmpty();
    assertThat(bob.daily()).allSatisfy(x -> assertThat(x.recoveries() + x.failures()).isZero());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aWindowWithoutTheRecoveryIsEmpty(Dialect d) {
    SqlKpis kpis = seeded(d);

    SqlKpis.Report later = kpis.report(UNTIL, UNTIL.plus(Duration.ofDays(2)), null);

    assertThat(later.mttr().count()).isZero();
    assertThat(later.lemonNodes()).isEmpty();
    assertThat(later.recoveriesByCause()).isEmpty();
    assertThat(later.daily()).as("28, 29 and 30 November, part days included").hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theAuditTrailPagesNewestFirstFiltersAndPrunes(Dialect d) {
    open(d);
    MutableClock clock = new MutableClock(T0);
    SqlAuditLog audit = new SqlAuditLog(db, clock);
    audit.record("ajr", "decision.restart", "job:24", "segfault");
    clock.advance(Duration.ofMinutes(1));
    audit.record("ops", "node.undrain", "node:node3", "undrained by ops");
    clock.advance(Duration.ofMinutes(1));
    audit.record("ajr", "node.drained", "node:node3", "x".repeat(10_000));

    List<SqlAuditLog.Entry> all = audit.page(SqlAuditLog.Filter.ALL, 10, 0);
    assertThat(all)
        .extracting(SqlAuditLog.Entry::action)
        .containsExactly("node.drained", "node.undrain", "decision.restart");
    assertThat(all.get(0).detail()).hasSize(SqlAuditLog.MAX_DETAIL);
    assertThat(all.get(1).at()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(audit.page(SqlAuditLog.Filter.ALL, 1, 1))
        .extracting(SqlAuditLog.Entry::target)
        .containsExactly("node:node3");
    SqlAuditLog.Filter ajr = new SqlAuditLog.Filter("ajr", null, null, null);
    assertThat(audit.count(ajr)).isEqualTo(2);
    SqlAuditLog.Filter window =
        new SqlAuditLog.Filter(null, null, T0.plusSeconds(30), T0.plusSeconds(90));
    assertThat(audit.page(window, 10, 0))
        .extracting(SqlAuditLog.Entry::actor)
        .containsExactly("ops");
    assertThat(audit.count(new SqlAuditLog.Filter(null, "node.drained", null, null))).isOne();

    assertThat(audit.pruneOlderThan(T0.plusSeconds(90), 500)).isEqualTo(2);
    assertThat(audit.count(SqlAuditLog.Filter.ALL)).isOne();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void recordingNeverThrows(Dialect d) {
    SqlAuditLog audit = new SqlAuditLog(open(d), Clock.systemUTC());
    db.close();

    assertThatCode(() -> audit.record("ajr", "x", "", "")).doesNotThrowAnyException();
    db = null;
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void usersAndTheirTokens(Dialect d) {
    UserStore users = new UserStore(open(d), Clock.fixed(T0, ZoneOffset.UTC));
    assertThat(users.createUser("root", "a-long-password", Role.ADMIN)).isTrue();
    assertThat(users.createUser("root", "another-password", Role.VIEWER)).isFalse();
    assertThat(users.createUser("carol", "a-long-password", Role.VIEWER)).isTrue();
    db.update("UPDATE users SET password_hash = ? WHERE username = 'carol'", UserStore.LDAP_MARKER);
    users.createToken("carol", "ci");
    users.createToken("root", "mine");

    assertThat(users.accounts(10, 0))
        .containsExactly(
            new UserStore.Account("carol", Role.VIEWER, true, T0),
            new UserStore.Account("root", Role.ADMIN, false, T0));
    assertThat(users.countUsers()).isEqualTo(2);
    assertThat(users.countAdmins()).isOne();
    assertThat(users.setRole("carol", Role.OPERATOR)).isTrue();
    assertThat(users.account("carol").orElseThrow().role()).isEqualTo(Role.OPERATOR);
    assertThat(users.setRole("nobody", Role.OPERATOR)).isFalse();

    long carols = users.tokens("carol").get(0).id();
    assertThat(users.deleteToken("root", carols)).as("not root's token").isFalse();
    assertThat(users.deleteUser("carol")).isTrue();
    assertThat(users.user("carol")).isEmpty();
    assertThat(users.tokens("carol")).isEmpty();
    assertThat(users.tokens("root")).extracting(UserStore.Token::name).containsExactly("mine");
  }
}
