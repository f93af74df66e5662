package dev.ajr.server.cli;

import dev.ajr.server.agent.AgentClient;
import dev.ajr.server.agent.AgentSettings;
import dev.ajr.server.agent.NodeAgent;
import dev.ajr.server.http.tls.PemTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ajr agent --server URL --node NAME [--kernel-log PATH|--no-kernel-log] [--token-file F]
 * [--state-dir DIR] [--no-job-output] [--ca-cert FILE]}: runs the node agent until it is stopped.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "the node agent: ships job output and the kernel log to the server",
      "",
      "Runs on each node until stopped; it keeps its positions in --state-dir, so a restart"
          + " neither loses nor repeats lines."
    },
    footerHeading = "%nexamples:%n",
    footer = {
      "  ajr agent --server http://ajr.example:8080 --token-file /etc/ajr/agent.token",
      "  ajr agent --server https://ajr.example:8443 --ca-cert /etc/ajr/ca.pem --no-job-output"
    })
final class AgentCommand implements Callable<Integer> {

  private final Io io;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "the ajr server, e.g. http://ajr.example:8080")
  String server;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description = "this node's name in Slurm (default: the short host name)")
  String node;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "the agent token (the server's <data-dir>/agent.token); or set AJR_AGENT_TOKEN")
  Path tokenFile;

  @Option(
      names = "--kernel-log",
      paramLabel = "PATH",
      description = "read the kernel log from this file instead of /dev/kmsg")
  Path kernelLog = AgentSettings.KMSG;

  @Option(names = "--no-kernel-log", description = "do not read the kernel log")
  boolean noKernelLog;

  @Option(
      names = "--no-job-output",
      description = "do not ship job output (the server reads a shared filesystem)")
  boolean noJobOutput;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "where positions are kept (default ./ajr-agent-data)")
  Path stateDir = Path.of("ajr-agent-data");

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description =
          "trust the certificate authorities in this PEM file for an https:// server (a private"
              + " CA) instead of the JDK's")
  Path caCert;

  AgentCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    AgentSettings settings = settings(io.env());
    AgentClient client = client(settings);
    try (NodeAgent agent = new NodeAgent(settings, client, Clock.systemUTC())) {
      agent.open();
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
      io.out()
          .println(
              "ajr agent on "
                  + settings.node()
                  + ": shipping "
                  + (settings.jobOutput() ? "job output" : "no job output")
                  + (settings.kernelLog() == null
                      ? ""
                      : " and the kernel log " + settings.kernelLog())
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

  /** The settings the arguments give, as {@code ajr agent ARGS} would run with. */
  static AgentSettings parse(List<String> args, Map<String, String> env) throws IOException {
    AgentCommand command = new AgentCommand(Io.system());
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.settings(env);
  }

  private AgentSettings settings(Map<String, String> env) throws IOException {
    if (server == null) {
      throw new UsageException("give the server: --server URL (ajr agent --help)");
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
    String name = node;
    if (name == null) {
      String host = InetAddress.getLocalHost().getHostName();
      name = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
    }
    String token = token(tokenFile, env);
    Path kernel = noKernelLog ? null : kernelLog;
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
        name,
        token,
        kernel,
        !noJobOutput,
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
}
