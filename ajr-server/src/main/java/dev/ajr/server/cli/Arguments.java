package dev.ajr.server.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options shared by {@code server} and {@code demo}, read from the command line. */
record Arguments(Path configFile, Map<String, String> overrides) {

  static Arguments parse(List<String> args) {
    Path config = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!List.of(
              "--port", "--data-dir", "--config", "--db-url", "--amqp-url", "--host", "--rules")
          .contains(name)) {
        throw new UsageException("unknown option " + arg);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException(name + " needs a value");
        }
        value = args.get(++i);
      }
      switch (name) {
        case "--port" -> overrides.put("server.port", value);
        case "--host" -> overrides.put("server.host", value);
        case "--data-dir" -> overrides.put("data-dir", value);
        case "--rules" -> overrides.put("rules.dir", value);
        case "--db-url" -> overrides.put("database.url", value);
        case "--amqp-url" -> overrides.put("events.amqp-url", value);
        default -> config = Path.of(value);
      }
    }
    return new Arguments(config, overrides);
  }
}
