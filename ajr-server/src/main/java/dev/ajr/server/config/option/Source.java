package dev.ajr.server.config.option;

import java.nio.file.Path;

/**
 * Where a value came from, for error messages: {@code FILE: NAME ... (line N)}, {@code --port:
 * server.port ...}.
 *
 * @param where the file, flag or variable, written before the message
 * @param at what follows the message, like {@code " (line 7)"}, or empty
 */
public record Source(String where, String at) {

  public static Source file(Path file, int line) {
    return new Source(file.toString(), " (line " + line + ")");
  }

  public static Source flag(String flag) {
    return new Source(flag, "");
  }

  public static Source commandLine() {
    return new Source("command line", "");
  }

  public static Source environment(String variable) {
    return new Source("environment variable " + variable, "");
  }

  /** The sentence for a bad value: where, the option's name, what is wrong, the line. */
  public String error(String name, String tail) {
    return where + ": " + name + tail + at;
  }
}
