package dev.ajr.server.store;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What differs between the databases ajr runs on: the migrations and the upsert syntax. Everything
 * else is plain SQL that SQLite, MariaDB/MySQL and PostgreSQL share.
 */
public enum Dialect {
  SQLITE("sqlite"),
  MARIADB("mysql"),
  POSTGRESQL("postgresql");

  private final String migrations;

  Dialect(String migrations) {
    this.migrations = migrations;
  }

  /** The dialect of a JDBC URL; an unsupported database is refused with the list of supported. */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database URL; use jdbc:sqlite:FILE, jdbc:mariadb://HOST:PORT/DB (or"
            + " jdbc:mysql:) or jdbc:postgresql://HOST:PORT/DB");
  }

  /**
   * The Flyway locations of this dialect's migrations: its own (tables, whose types differ) and the
   * shared ones (views and plain changes, written in SQL all three databases accept).
   */
  public String[] migrationLocations() {
    return new String[] {"classpath:db/migration/" + migrations, "classpath:db/migration/common"};
  }

  /**
   * {@code INSERT} of all {@code columns} that updates the {@code updated} columns when a row with
   * the same {@code keys} exists.
   */
  public String upsert(
      String table, List<String> keys, List<String> columns, List<String> updated) {
    String insert = insert(table, columns);
    return switch (this) {
      case MARIADB ->
          insert
              + " ON DUPLICATE KEY UPDATE "
              + updated.stream()
                  .map(c -> c + " = VALUES(" + c + ")")
                  .collect(Collectors.joining(", "));
      case SQLITE, POSTGRESQL ->
          insert
              + " ON CONFLICT ("
              + String.join(", ", keys)
              + ") DO UPDATE SET "
              + updated.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    };
  }

  /**
   * {@code INSERT} that does nothing when a row with the same {@code keys} exists; it reports 0
   * rows then.
   */
  public String insertIgnore(String table, List<String> keys, List<String> columns) {
    return switch (this) {
      // Not INSERT IGNORE: it would hide foreign-key errors too. With useAffectedRows (set by
      // Database), an unchanged duplicate counts as 0 rows.
      case MARIADB ->
          insert(table, columns) + " ON DUPLICATE KEY UPDATE " + keys.get(0) + " = " + keys.get(0);
      case SQLITE, POSTGRESQL ->
          insert(table, columns) + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING";
    };
  }

  private static String insert(String table, List<String> columns) {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
        + ")";
  }
}
