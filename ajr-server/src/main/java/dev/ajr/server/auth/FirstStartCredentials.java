package dev.ajr.server.auth;

import dev.ajr.server.files.PrivateFiles;
import dev.ajr.server.service.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials a server needs before anyone can log in: the first administrator and the node
 * agents' token.
 *
 * <p>Contract: when the server has no users, the administrator {@code admin} is created with the
 * password in {@code AJR_ADMIN_PASSWORD} when set, else with a random one written to {@code
 * <data-dir>/initial-admin-password} (created readable by its owner only), never to the log. The
 * user {@value #AGENT_USER} (role agent) always exists; its token is the one in the agent token
 * file, or a new one written there (owner only). Running it again changes nothing that exists.
 */
public final class FirstStartCredentials implements Service {

  private static final Logger log = LoggerFactory.getLogger(FirstStartCredentials.class);

  /** The user node agents act as. */
  public static final String AGENT_USER = "agent";

  /** The file holding the first administrator's random password, in the data directory. */
  public static final String ADMIN_PASSWORD_FILE = "initial-admin-password";

  private final UserStore users;
  private final Path dataDir;
  private final Path agentTokenFile;
  private final String adminPasswordFromEnvironment;
  private volatile String adminPasswordNote = "";

  /**
   * @param adminPasswordFromEnvironment the value of {@code AJR_ADMIN_PASSWORD}, or null
   */
  public FirstStartCredentials(
      UserStore users, Path dataDir, Path agentTokenFile, String adminPasswordFromEnvironment) {
    this.users = users;
    this.dataDir = dataDir;
    this.agentTokenFile = agentTokenFile;
    this.adminPasswordFromEnvironment = adminPasswordFromEnvironment;
  }

  @Override
  public String name() {
    return "first-start credentials";
  }

  @Override
  public void start() throws IOException {
    ensureAdmin();
    ensureAgentToken();
  }

  /** Where to find the first administrator's password, or empty when users existed already. */
  public String adminPasswordNote() {
    return adminPasswordNote;
  }

  private void ensureAdmin() throws IOException {
    if (users.hasUsers()) {
      return;
    }
    String password = adminPasswordFromEnvironment;
    if (password != null && !password.isBlank()) {
      users.putUser("admin", password, Role.ADMIN);
      adminPasswordNote = "user admin, password from AJR_ADMIN_PASSWORD";
      return;
    }
    password = PasswordHasher.randomSecret().substring(0, 20);
    Path file = dataDir.resolve(ADMIN_PASSWORD_FILE);
    PrivateFiles.createDirectory(dataDir);
    PrivateFiles.write(file, password + "\n");
    users.putUser("admin", password, Role.ADMIN);
    adminPasswordNote = "user admin, password in " + file.toAbsolutePath();
  }

  private void ensureAgentToken() throws IOException {
    if (users.user(AGENT_USER).isEmpty()) {
      users.putUser(AGENT_USER, PasswordHasher.randomSecret(), Role.AGENT);
    }
    if (Files.isRegularFile(agentTokenFile)) {
      String token = Files.readString(agentTokenFile).strip();
      if (token.isEmpty()) {
        throw new IOException(
            "the agent token file " + agentTokenFile + " is empty; delete it for a new one");
      }
      users.registerToken(AGENT_USER, "agent token file", token);
      return;
    }
    String token = users.createToken(AGENT_USER, "agent token file");
    PrivateFiles.createDirectory(agentTokenFile.toAbsolutePath().getParent());
    PrivateFiles.write(agentTokenFile, token + "\n");
    log.info("node agents authenticate with the token in {}", agentTokenFile.toAbsolutePath());
  }

  @Override
  public void close() {}
}
