package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.trueFalse;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** {@code cluster.*}: several ajr servers sharing one database. */
public final class ClusterOptions {

  public static final Option<Boolean> REPLICAS =
      Option.key("cluster.replicas", trueFalse())
          .defaultValue(false)
          .frequent()
          .withDescription(
              "this server is one of several sharing the database (MariaDB/MySQL or PostgreSQL);"
                  + " one at a time acts on Slurm, holding a lease");

  public static final Option<Duration> LEASE_DURATION =
      Option.key("cluster.lease-duration", duration())
          .defaultValue(Duration.ofSeconds(6))
          .withDescription(
              "how long the leader's lease holds without renewal: a dead leader is replaced within"
                  + " about this and a third of it");

  public static final Option<String> REPLICA_ID =
      Option.key("cluster.replica-id", text())
          .computedDefault(ClusterOptions::hostAndPid, "<host>-<pid>")
          .withDescription("this server's name among the replicas");

  static final List<Option<?>> OPTIONS = List.of(REPLICAS, LEASE_DURATION, REPLICA_ID);

  private ClusterOptions() {}

  static ClusterConfig from(OptionValues v) {
    boolean replicas = v.get(REPLICAS);
    if (replicas && v.find(DatabaseOptions.URL).isEmpty()) {
      throw v.invalid(
          "cluster.replicas needs a database the replicas share: give --db-url (MariaDB, MySQL or"
              + " PostgreSQL)");
    }
    return new ClusterConfig(replicas, v.get(REPLICA_ID), v.get(LEASE_DURATION));
  }

  private static String hostAndPid() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "ajr";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
