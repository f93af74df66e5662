package dev.ajr.server.cli;

import dev.ajr.server.agent.AgentClient;
import dev.ajr.server.agent.AgentSettings;
import dev.ajr.server.agent.NodeAgent;
import dev.ajr.server.http.tls.PemTls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ajr agent --server URL --node NAME [--kernel-log PATH|--no-kernel-log] [--token-file F]
 * [--state-dir DIR] [--no-job-output] [--ca-cert FILE]}: runs the node agent until it is stopped.
 */
final class AgentCommand {

  static final String USAGE =
      """
      usage: ajr agent --server URL [--node NAME] [options]

        --server URL        the ajr server, e.g. http://ajr.example:8080
        --node NAME         this node's name in Slurm (default: the short host name)
        --token-file FILE   the agent token (the server's <data-dir>/agent.token);
                            or set AJR_AGENT_TOKEN
        --kernel-log PATH   read the kernel log from this file instead of /dev/kmsg
        --no-kernel-log     do not read the kernel log
        --no-job-output     do not ship job output (the server reads a shared filesystem)
        --state-dir DIR     where positions are kept (default ./ajr-agent-data)
        --ca-cert FILE      trust the certificate authorities in this PEM file for an
                            https:// server (a private CA) instead of the JDK's
      """;

  private AgentCommand() {}

  static int run(List<String> args, Map<String, String> env, PrintStream out)
      throws IOException, InterruptedException {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    AgentSettings settings = parse(args, env);
    AgentClient client = client(settings);
    try (NodeAgent agent = new NodeAgent(settings, client, Clock.systemUTC())) {
      agent.open();
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
      out.println(
          "ajr agent on "
              + settings.node()
              + ": shipping "
              + (settings.jobOutput() ? "job output" : "no job output")
              + (settings.kernelLog() == null ? "" : " and the kernel log " + settings.kernelLog())
              + " to "
              + settings.server());
      agent.run();
    }
    return 0;
  }

  /**
   * The client for the settings: trusting the {@code --ca-cert} authorities when given.
   *
   * @throws dev.ajr.server.config.ConfigException when the CA file holds no certificates
   */
  static AgentClient client(AgentSettings settings) {
    return new AgentClient(
        settings.server(),
        settings.node(),
        settings.token(),
        settings.caCert() == null ? null : PemTls.trusting(settings.caCert(), "--ca-cert"));
  }

  static AgentSettings parse(List<String> args, Map<String, String> env) throws IOException {
    String server = null;
    String node = null;
    Path tokenFile = null;
    Path kernel = AgentSettings.KMSG;
    boolean jobOutput = true;
    Path stateDir = Path.of("ajr-agent-data");
    Path caCert = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--server" -> server = value(args, ++i, arg);
        case "--node" -> node = value(args, ++i, arg);
        case "--token-file" -> tokenFile = Path.of(value(args, ++i, arg));
        case "--kernel-log" -> kernel = Path.of(value(args, ++i, arg));
        case "--no-kernel-log" -> kernel = null;
        case "--no-job-output" -> jobOutput = false;
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
        case "--ca-cert" -> caCert = Path.of(value(args, ++i, arg));
        default -> throw new UsageException("unknown option " + arg + "\n\n" + USAGE);
      }
    }
    if (server == null) {
      throw new UsageException("give the server: --server URL\n\n" + USAGE);
    }
    URI uri;
    try {
      uri = URI.create(server);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--server " + server + " is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new UsageException("--server must be an http:// or https:// URL, not " + server);
    }
    if (node == null) {
      String host = InetAddress.getLocalHost().getHostName();
      node = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
    }
    String token = token(tokenFile, env);
    if (kernel != null && !kernel.equals(AgentSettings.KMSG) && !Files.exists(kernel)) {
      throw new UsageException("--kernel-log " + kernel + " does not exist");
    }
    if (caCert != null) {
      if (!Files.isReadable(caCert)) {
        throw new UsageException("--ca-cert " + caCert + " cannot be read");
      }
      if (!"https".equals(uri.getScheme())) {
        throw new UsageException("--ca-cert is for an https:// server, not " + server);
      }
    }
    return new AgentSettings(
        uri,
        node,
        token,
        kernel,
        jobOutput,
        stateDir,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        5_000,
        4 * 1024 * 1024,
        64 * 1024,
        Duration.ofSeconds(10),
        caCert);
  }

  private static String token(Path file, Map<String, String> env) throws IOException {
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw new UsageException("--token-file " + file + " cannot be read");
      }
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new UsageException("--token-file " + file + " is empty");
      }
      return token;
    }
    String token = env.getOrDefault("AJR_AGENT_TOKEN", "").strip();
    if (token.isEmpty()) {
      throw new UsageException(
          "give the agent token: --token-file FILE (the server writes <data-dir>/agent.token)"
              + " or AJR_AGENT_TOKEN");
    }
    return token;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i);
  }
}
