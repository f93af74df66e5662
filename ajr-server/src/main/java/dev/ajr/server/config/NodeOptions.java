package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.httpUrl;
import static dev.ajr.server.config.option.OptionType.share;
import static dev.ajr.server.config.option.OptionType.trueFalse;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.core.node.NodeSettings;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** {@code nodes.*}: when ajr drains nodes, and whom it tells. */
public final class NodeOptions {

  public static final Option<Boolean> DRAIN =
      Option.key("nodes.drain", trueFalse())
          .defaultValue(true)
          .frequent()
          .withDescription(
              "ajr drains nodes on trusted evidence (kernel log) or when several jobs point at"
                  + " them; false: nodes only become suspect");

  public static final Option<Integer> LEMON_JOBS =
      Option.key("nodes.lemon-jobs", wholeNumber(1, 1000))
          .defaultValue(3)
          .withDescription(
              "a node that failures of this many different jobs point at within"
                  + " nodes.lemon-window is drained even on job output");

  public static final Option<Duration> LEMON_WINDOW =
      Option.key("nodes.lemon-window", duration())
          .defaultValue(Duration.ofHours(24))
          .withDescription("the window for lemon nodes");

  public static final Option<Integer> MAX_DRAINS =
      Option.key("nodes.max-drains", wholeNumber(0, 100_000))
          .defaultValue(10)
          .withDescription("never more drains than this within nodes.drain-window");

  public static final Option<Double> MAX_DRAIN_SHARE =
      Option.key("nodes.max-drain-share", share())
          .defaultValue(0.05)
          .withDescription("nor more than this share of the cluster's nodes (at least one)");

  public static final Option<Duration> DRAIN_WINDOW =
      Option.key("nodes.drain-window", duration())
          .defaultValue(Duration.ofHours(1))
          .withDescription("the window of the blast-radius limit");

  public static final Option<URI> REPAIR_WEBHOOK =
      Option.key("nodes.repair-webhook", httpUrl())
          .secret()
          .frequent()
          .withDescription(
              "URL of a hardware-recovery service told about drained nodes (POST JSON); it calls"
                  + " back POST /api/v1/nodes/{node}/repaired");

  static final List<Option<?>> OPTIONS =
      List.of(
          DRAIN,
          LEMON_JOBS,
          LEMON_WINDOW,
          MAX_DRAINS,
          MAX_DRAIN_SHARE,
          DRAIN_WINDOW,
          REPAIR_WEBHOOK);

  private NodeOptions() {}

  static NodesConfig from(OptionValues v) {
    return new NodesConfig(
        new NodeSettings(
            v.get(DRAIN),
            v.get(LEMON_JOBS),
            v.get(LEMON_WINDOW),
            v.get(MAX_DRAINS),
            v.get(MAX_DRAIN_SHARE),
            v.get(DRAIN_WINDOW)),
        v.find(REPAIR_WEBHOOK).orElse(null));
  }
}
