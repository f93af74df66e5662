package dev.ajr.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ajr.core.store.StoreException;
import dev.ajr.server.files.PrivateFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * ajr's database: the embedded SQLite file under the data directory, or MariaDB/MySQL or
 * PostgreSQL, behind a connection pool. Each call takes a connection from the pool for its
 * duration; {@link #inTransaction} keeps one for the whole unit of work. SQLite gets a pool of one
 * connection, so its writes never meet. Versioned migrations (Flyway: a set per {@link Dialect} for
 * tables, a shared set for views; {@link Migrations}) are applied on open unless switched off.
 * Which connection a statement runs on, the thread's transaction's or a pooled one, is {@link
 * ThreadTransactions}'s. Thread-safe.
 */
public final class Database implements AutoCloseable {

  /** Maps one row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** How to reach a database. The password is never logged or shown. */
  public record Settings(String url, String user, String password, int poolSize, boolean migrate) {

    @Override
    public String toString() {
      return "Settings[url="
          + Database.redact(url)
          + ", user="
          + user
          + ", poolSize="
          + poolSize
          + ", migrate="
          + migrate
          + "]";
    }
  }

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String url;
  private final Migrations migrations;
  private final ThreadTransactions transactions;

  private Database(HikariDataSource pool, Dialect dialect, String url) {
    this.pool = pool;
    this.dialect = dialect;
    this.url = url;
    this.migrations = new Migrations(pool, dialect);
    this.transactions = new ThreadTransactions(pool);
  }

  /**
   * Opens (creating if needed) {@code ajr.db} in the directory and migrates it. A new directory is
   * created 0700 and a new database file 0600 (SQLite gives its {@code -wal} and {@code -shm} files
   * the database file's permissions).
   */
  public static Database openSqlite(Path dataDir) {
    try {
      PrivateFiles.createDirectory(dataDir);
      PrivateFiles.createFile(dataDir.resolve("ajr.db"));
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the data directory " + dataDir + ": " + e, e);
    }
    String url = "jdbc:sqlite:" + dataDir.resolve("ajr.db").toAbsolutePath();
    return open(new Settings(url, null, null, 1, true));
  }

  public static Database open(Settings settings) {
    Dialect dialect;
    try {
      dialect = Dialect.of(settings.url());
    } catch (IllegalArgumentException e) {
      throw new StoreException(e.getMessage(), e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setPoolName("ajr-db");
    config.setMaximumPoolSize(dialect == Dialect.SQLITE ? 1 : Math.max(1, settings.poolSize()));
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1); // a database that is down at start is retried
    if (dialect == Dialect.MARIADB) {
      config.addDataSourceProperty("useAffectedRows", "true");
    }
    if (dialect == Dialect.SQLITE) {
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "10000");
      config.addDataSourceProperty("foreign_keys", "true");
    }
    HikariDataSource pool = new HikariDataSource(config);
    Database db = new Database(pool, dialect, settings.url());
    if (settings.migrate()) {
      try {
        db.migrations.apply();
      } catch (RuntimeException e) {
        pool.close();
        throw new StoreException(
            "cannot migrate the database " + redact(settings.url()) + ": " + rootMessage(e), e);
      }
    }
    return db;
  }

  /** Applies the pending migrations; returns how many were applied. */
  public int migrate() {
    try {
      return migrations.apply();
    } catch (RuntimeException e) {
      throw new StoreException("cannot migrate " + url() + ": " + rootMessage(e), e);
    }
  }

  /** The first line of the deepest cause's message: what the database itself said. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    return message.lines().findFirst().orElse(message).strip();
  }

  /**
   * How many of this ajr's migrations the database has not applied (with {@code database.migrate:
   * false}, until {@code ajr db migrate} runs).
   */
  public int pendingMigrations() {
    try {
      return migrations.pending();
    } catch (RuntimeException e) {
      throw new StoreException("cannot read the migrations of " + url() + ": " + rootMessage(e), e);
    }
  }

  /**
   * Asks the database to answer a trivial query.
   *
   * @throws StoreException saying why it did not
   */
  public void ping() {
    query("SELECT 1", row -> row.getInt(1));
  }

  /**
   * Reports the connection pool's meters (HikariCP's {@code hikaricp_connections_...}) to {@code
   * registry}; once.
   */
  public void reportPoolTo(MeterRegistry registry) {
    pool.setMetricRegistry(registry);
  }

  /** One line per migration: version, description, state. */
  public List<String> migrationStatus() {
    try {
      return migrations.status();
    } catch (RuntimeException e) {
      throw new StoreException("cannot read the migrations of " + url() + ": " + rootMessage(e), e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The URL without credentials. */
  public String url() {
    return redact(url);
  }

  static String redact(String url) {
    return url.replaceAll("//[^@/]*@", "//***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /**
   * Runs {@code work} so that every statement this thread issues inside it (through any store on
   * this database) is one transaction: all of it is written, or none. Nested calls join the outer
   * transaction. {@code afterCommit} tasks registered inside run once it is committed (dropped on a
   * rollback). Callers take their job locks before, never inside, so locks are always taken before
   * connections.
   */
  public <T> T atomically(Supplier<T> work) {
    return transactions.atomically(work);
  }

  /** Runs {@code task} once this thread's transaction is committed, or now when there is none. */
  public void afterCommit(Runnable task) {
    transactions.afterCommit(task);
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    try {
      return transactions.withConnection(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          bind(ps, params);
          try (ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
              rows.add(mapper.map(rs));
            }
            return rows;
          }
        }
      });
    } catch (SQLException e) {
      throw new StoreException("query failed: " + e.getMessage(), e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(String sql, Object... params) {
    try {
      return transactions.withConnection(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          bind(ps, params);
          return ps.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new StoreException("update failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs the work in one transaction: all of it is written, or none. Inside {@link #atomically} it
   * joins that transaction.
   */
  public <T> T inTransaction(Work<T> work) {
    return transactions.inTransaction(work);
  }

  /** Inserts and returns the generated key; for use inside {@link #inTransaction}. */
  public static long insert(Connection connection, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql, new String[] {"id"})) {
      bind(ps, params);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (p instanceof Instant t) {
        ps.setLong(i + 1, t.toEpochMilli());
      } else if (p instanceof Enum<?> e) {
        ps.setString(i + 1, e.name());
      } else if (p instanceof Boolean b) {
        ps.setInt(i + 1, b ? 1 : 0);
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  /** Reads a nullable epoch-millisecond column. */
  public static Instant instant(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  /** Reads a nullable integer column. */
  public static Integer integer(ResultSet row, String column) throws SQLException {
    int value = row.getInt(column);
    return row.wasNull() ? null : value;
  }

  @Override
  public void close() {
    pool.close();
  }
}
