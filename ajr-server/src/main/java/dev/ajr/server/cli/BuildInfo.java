package dev.ajr.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version, commit and build date written into {@code build-info.properties} by the build; a
 * part the build could not fill in (no git, a run from an IDE) is {@value #UNKNOWN}.
 *
 * @param version the Maven project version
 * @param commit the abbreviated git commit
 * @param built the build date, {@code yyyy-MM-dd}
 */
record BuildInfo(String version, String commit, String built) {

  static final String UNKNOWN = "unknown";

  private static final String RESOURCE = "/dev/ajr/server/cli/build-info.properties";

  /** The build's own information. */
  static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown parts say so
    }
    return of(p);
  }

  static BuildInfo of(Properties p) {
    return new BuildInfo(part(p, "version"), part(p, "commit"), part(p, "built"));
  }

  private static String part(Properties p, String key) {
    String value = p.getProperty(key, "").strip();
    return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
  }

  /** {@code ajr 0.1.0-SNAPSHOT (commit c92b477, built 2026-12-03)}. */
  String line() {
    return "ajr " + version + " (commit " + commit + ", built " + built + ")";
  }
}
