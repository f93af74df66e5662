package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.trueFalse;
import static dev.ajr.server.config.option.OptionType.urlText;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.nio.file.Path;
import java.util.List;

/** {@code database.*}: where ajr keeps its state. */
public final class DatabaseOptions {

  public static final Option<String> URL =
      Option.key("database.url", urlText("jdbc:mariadb://HOST:3306/DB"))
          .shownAs("(SQLite in data-dir)")
          .flag("--db-url", "URL")
          .essential()
          .withDescription(
              "JDBC URL: jdbc:mariadb:// (or jdbc:mysql://), jdbc:postgresql:// or jdbc:sqlite:");

  public static final Option<String> USER =
      Option.key("database.user", text())
          .env("AJR_DB_USER")
          .essential()
          .withDescription("database user");

  public static final Option<Path> PASSWORD_FILE =
      Option.key("database.password-file", path())
          .secretEnv("AJR_DB_PASSWORD")
          .secret()
          .essential()
          .withDescription("a file holding the database password (else the environment variable)");

  public static final Option<Integer> POOL_SIZE =
      Option.key("database.pool-size", wholeNumber(1, 1000))
          .defaultValue(8)
          .withDescription("most connections to the database");

  public static final Option<Boolean> MIGRATE =
      Option.key("database.migrate", trueFalse())
          .defaultValue(true)
          .withDescription("apply schema migrations on start (./ajr db migrate)");

  static final List<Option<?>> OPTIONS = List.of(URL, USER, PASSWORD_FILE, POOL_SIZE, MIGRATE);

  private static final List<String> SUPPORTED =
      List.of("jdbc:sqlite:", "jdbc:mariadb:", "jdbc:mysql:", "jdbc:postgresql:");

  private DatabaseOptions() {}

  static DatabaseConfig from(OptionValues v) {
    String url = v.find(URL).orElse("");
    if (!url.isEmpty() && SUPPORTED.stream().noneMatch(url::startsWith)) {
      throw v.invalid(
          "database "
              + url.replaceAll("//[^@/]*@", "//***@")
              + " is not supported; use jdbc:mariadb://HOST:3306/DB, jdbc:mysql://...,"
              + " jdbc:postgresql://HOST:5432/DB or jdbc:sqlite:FILE");
    }
    return new DatabaseConfig(
        url, v.find(USER).orElse(""), v.secret(PASSWORD_FILE), v.get(POOL_SIZE), v.get(MIGRATE));
  }
}
