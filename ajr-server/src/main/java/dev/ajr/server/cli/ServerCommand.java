package dev.ajr.server.cli;

import dev.ajr.server.app.AjrServer;
import dev.ajr.server.config.AjrConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ajr server}: runs the recovery server until the process is stopped. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "run the recovery server (API on http://127.0.0.1:8080, data in ./ajr-data)",
      "",
      "Every option is listed in docs/configuration.md; the flags below set the most common ones,"
          + " and beat the --config file."
    },
    footerHeading = "%nexamples:%n",
    footer = {
      "  ajr server",
      "  ajr server --port 9090 --data-dir /var/lib/ajr --config /etc/ajr/ajr.yaml",
      "  AJR_DB_PASSWORD=... ajr server --db-url jdbc:mariadb://db.example:3306/ajr"
    })
final class ServerCommand implements Callable<Integer> {

  private final Io io;

  @Spec CommandSpec spec;

  ServerCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    AjrConfig config = ConfigFlags.load(spec);
    AjrServer server = new AjrServer(config);
    server.start();
    io.out().println("ajr server listening on " + server.url() + " (API under /api/v1)");
    if (!server.adminPasswordNote().isEmpty()) {
      io.out().println("first administrator: " + server.adminPasswordNote());
    }
    Main.awaitShutdown(server);
    return 0;
  }
}
