package dev.ajr.server.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** What a command reads and writes: its streams and the environment. */
record Io(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {

  static Io system() {
    return new Io(System.out, System.err, System.in, System.getenv());
  }

  /** Whether {@code AJR_DEBUG=1} asks for stack traces. */
  boolean debug() {
    return "1".equals(env.get("AJR_DEBUG"));
  }
}
