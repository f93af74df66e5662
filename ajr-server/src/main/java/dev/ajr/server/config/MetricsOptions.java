package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.nio.file.Path;
import java.util.List;

/** {@code metrics.*}: who may read {@code /metrics}, and where. */
public final class MetricsOptions {

  public static final Option<Integer> PORT =
      Option.key("metrics.port", wholeNumber(0, 65535))
          .defaultValue(0)
          .frequent()
          .withDescription(
              "a port of its own where GET /metrics answers without credentials (plain HTTP; for a"
                  + " Prometheus inside the cluster's network); 0: none, /metrics is on the API's"
                  + " port only, for operators and the metrics token");

  public static final Option<String> HOST =
      Option.key("metrics.host", text())
          .defaultFrom(ServerOptions.HOST, host -> host)
          .withDescription("the address metrics.port listens on");

  public static final Option<Path> TOKEN_FILE =
      Option.key("metrics.token-file", path())
          .secret()
          .frequent()
          .secretEnv("AJR_METRICS_TOKEN")
          .withDescription(
              "a file holding a token that reads /metrics on the API's port"
                  + " (Authorization: Bearer TOKEN), besides operators and administrators; never"
                  + " logged");

  static final List<Option<?>> OPTIONS = List.of(PORT, HOST, TOKEN_FILE);

  private MetricsOptions() {}

  static MetricsConfig from(OptionValues v) {
    int port = v.get(PORT);
    if (port != 0 && port == v.get(ServerOptions.PORT)) {
      throw v.invalid("metrics.port must differ from server.port (" + port + ")");
    }
    return new MetricsConfig(port, v.get(HOST), v.secret(TOKEN_FILE));
  }
}
