package dev.ajr.server.store;

import dev.ajr.core.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The embedded SQLite database under the data directory: one connection, used by one thread at a
 * time (callers go through {@link #query}, {@link #update} and {@link #inTransaction}, which are
 * synchronized). Migrations (Flyway, {@code db/migration/sqlite}) are applied on open.
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

  private final Connection connection;
  private final String url;

  private Database(Connection connection, String url) {
    this.connection = connection;
    this.url = url;
  }

  /** Opens (creating if needed) {@code ajr.db} in the directory and migrates it. */
  public static Database openSqlite(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the data directory " + dataDir + ": " + e, e);
    }
    String url = "jdbc:sqlite:" + dataDir.resolve("ajr.db").toAbsolutePath();
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration/sqlite")
        .loggers("slf4j")
        .load()
        .migrate();
    try {
      Connection connection = DriverManager.getConnection(url);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA foreign_keys=ON");
      }
      return new Database(connection, url);
    } catch (SQLException e) {
      throw new StoreException("cannot open the database " + url + ": " + e.getMessage(), e);
    }
  }

  public String url() {
    return url;
  }

  public synchronized <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + e.getMessage(), e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public synchronized int update(String sql, Object... params) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("update failed: " + e.getMessage(), e);
    }
  }

  /** Runs the work in one transaction: all of it is written, or none. */
  public synchronized <T> T inTransaction(Work<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("transaction failed: " + e.getMessage(), e);
    }
  }

  /** Inserts and returns the generated key; for use inside {@link #inTransaction}. */
  public static long insert(Connection connection, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
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
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing the database failed: " + e.getMessage(), e);
    }
  }
}
