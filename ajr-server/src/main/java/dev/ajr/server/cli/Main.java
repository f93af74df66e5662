package dev.ajr.server.cli;

import dev.ajr.core.store.StoreException;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigException;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.service.ServiceGroup;
import dev.ajr.server.store.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ajr} command line. Errors print one clear sentence and exit with status 2 (usage) or 1
 * (could not run); set {@code AJR_DEBUG=1} for stack traces.
 */
public final class Main {

  static final String USAGE =
      """
      usage: ajr <command> [options]

      commands:
        server        run the recovery server (API on http://127.0.0.1:8080, data in ./ajr-data)
        demo          bring the dev cluster and the server up, submit the installation guide's
                      verification job and show its recovery as it happens
        dev-cluster   up|down|status: a local Slurm cluster of four nodes (see README)
        test          bring the dev cluster up and run all tests
        classify      JSON Lines {"id", "text"} on standard input -> one diagnosis per line
        explain FILE  the root cause of a log, for a person (--json for machines)
        db            migrate|status: apply or list the schema migrations of the database
        agent         the node agent: ships job output and the kernel log to the server
                      (ajr agent --help)
        help          this text

      options of server and demo:
        --port N          HTTP port (default 8080)
        --host ADDR       address to listen on (default 127.0.0.1)
        --data-dir DIR    where the database is kept (default ./ajr-data)
        --config FILE     a YAML configuration file (docs/configuration.md)
        --db-url URL      JDBC URL of the database (default: SQLite in the data directory)
        --amqp-url URL    also publish every event to RabbitMQ (a durable topic exchange,
                          ajr.events), amqp://USER:PASSWORD@HOST:5672/VHOST; the password may
                          come from AJR_AMQP_PASSWORD instead (see docs/events.md)
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0))) {
      out.print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (command) {
        case "server" -> server(rest, out);
        case "demo" -> new DemoCommand(out).run(config(rest));
        case "classify" -> classify(rest, out, err);
        case "db" -> database(rest, out);
        case "explain" -> explain(rest, out, err);
        case "agent" -> AgentCommand.run(rest, System.getenv(), out);
        default -> throw new UsageException("unknown command " + command + "\n\n" + USAGE);
      };
    } catch (UsageException e) {
      err.println("ajr: " + e.getMessage());
      return 2;
    } catch (ConfigException | StoreException | IOException | ServiceGroup.StartFailed e) {
      err.println("ajr: " + e.getMessage());
      debug(e, err);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (RuntimeException e) {
      err.println("ajr: unexpected error: " + e);
      debug(e, err);
      return 1;
    }
  }

  /** {@code ajr db migrate|status [server options]}. */
  private static int database(List<String> args, PrintStream out) {
    if (args.isEmpty() || !List.of("migrate", "status").contains(args.get(0))) {
      throw new UsageException("usage: ajr db migrate|status [--db-url URL] [--data-dir DIR]");
    }
    Arguments parsed = Arguments.parse(args.subList(1, args.size()));
    Map<String, String> overrides = new java.util.HashMap<>(parsed.overrides());
    overrides.put("database.migrate", "false");
    AjrConfig config = ConfigLoader.load(parsed.configFile(), overrides);
    try (Database db = AjrServer.openDatabase(config)) {
      if (args.get(0).equals("migrate")) {
        int applied = db.migrate();
        out.println(db.url() + ": " + applied + " migration(s) applied");
      }
      db.migrationStatus().forEach(out::println);
    }
    return 0;
  }

  private static int classify(List<String> args, PrintStream out, PrintStream err)
      throws IOException {
    RuleCatalog.Loaded rules = DiagnosisArguments.parse(args).rules(err);
    return new ClassifyCommand(rules.engine())
        .run(
            new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)),
            out);
  }

  private static int explain(List<String> args, PrintStream out, PrintStream err)
      throws IOException {
    DiagnosisArguments parsed = DiagnosisArguments.parse(args);
    if (parsed.files().size() != 1) {
      throw new UsageException("usage: ajr explain FILE [--json] [--rules DIR]");
    }
    return new ExplainCommand(parsed.rules(err).engine())
        .run(java.nio.file.Path.of(parsed.files().get(0)), parsed.json(), out);
  }

  /** The arguments of classify and explain: {@code [--json] [--rules DIR] [FILE...]}. */
  private record DiagnosisArguments(java.nio.file.Path rulesDir, boolean json, List<String> files) {

    static DiagnosisArguments parse(List<String> args) {
      java.nio.file.Path dir = null;
      boolean json = false;
      List<String> files = new java.util.ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (arg.equals("--json")) {
          json = true;
        } else if (arg.equals("--rules")) {
          if (i + 1 >= args.size()) {
            throw new UsageException("--rules needs a directory");
          }
          dir = java.nio.file.Path.of(args.get(++i));
        } else if (arg.startsWith("--")) {
          throw new UsageException("unknown option " + arg);
        } else {
          files.add(arg);
        }
      }
      return new DiagnosisArguments(dir, json, files);
    }

    /** The catalog with the operator's rules of {@code --rules DIR}; problems go to stderr. */
    RuleCatalog.Loaded rules(PrintStream err) {
      RuleCatalog.Loaded loaded = RuleCatalog.load(rulesDir);
      loaded.problems().forEach(p -> err.println("ajr: rule left out: " + p));
      return loaded;
    }
  }

  private static AjrConfig config(List<String> args) {
    Arguments parsed = Arguments.parse(args);
    return ConfigLoader.load(parsed.configFile(), parsed.overrides());
  }

  private static int server(List<String> args, PrintStream out)
      throws IOException, InterruptedException, ServiceGroup.StartFailed {
    AjrConfig config = config(args);
    AjrServer server = new AjrServer(config);
    server.start();
    out.println("ajr server listening on " + server.url() + " (API under /api/v1)");
    if (!server.adminPasswordNote().isEmpty()) {
      out.println("first administrator: " + server.adminPasswordNote());
    }
    awaitShutdown(server);
    return 0;
  }

  /** Blocks until the process is asked to stop, then stops the server. */
  static void awaitShutdown(AjrServer server) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              server.close();
              stopped.countDown();
            }));
    stopped.await();
  }

  private static void debug(Exception e, PrintStream err) {
    if ("1".equals(System.getenv("AJR_DEBUG"))) {
      e.printStackTrace(err);
    }
  }
}
