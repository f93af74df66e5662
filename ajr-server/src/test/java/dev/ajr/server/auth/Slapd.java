package dev.ajr.server.auth;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenLDAP server for tests: {@code /usr/sbin/slapd} in a temporary directory, with an
 * old-style slapd.conf (mdb backend; core, cosine, inetOrgPerson and NIS schemas), listening on
 * free loopback ports for ldap:// and ldaps:// (a CA and a server certificate for 127.0.0.1 and
 * localhost, made with the openssl command). It holds {@code dc=ajr,dc=test} with {@code
 * ou=people}, {@code ou=groups} and a read-only service account ({@link #bindDn()}); anonymous
 * clients may read nothing, users read everything but passwords.
 *
 * <pre>{@code
 * try (Slapd slapd = Slapd.start()) {
 *   slapd.addGroup("ajr-admins");
 *   slapd.addUser("alice", "alice-pass", "ajr-admins");
 *   // slapd.ldapsUri(), slapd.caCert(), slapd.bindDn(), slapd.bindPassword(), slapd.searchBase()
 * }
 * }</pre>
 *
 * {@link #close()} stops slapd and deletes the directory.
 */
public final class Slapd implements AutoCloseable {

  public static final String SUFFIX = "dc=ajr,dc=test";
  private static final String ROOT_DN = "cn=admin," + SUFFIX;
  private static final String SERVICE_DN = "cn=ajr-reader,ou=services," + SUFFIX;
  private static final Path SLAPD = Path.of("/usr/sbin/slapd");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final int ldapPort;
  private final int ldapsPort;
  private final String rootPassword = secret();
  private final String servicePassword = secret();
  private Process process;

  private Slapd(Path dir, int ldapPort, int ldapsPort) {
    this.dir = dir;
    this.ldapPort = ldapPort;
    this.ldapsPort = ldapsPort;
  }

  /** Starts slapd with the base entries loaded; fails with what to install when it is missing. */
  public static Slapd start() throws IOException {
    if (!Files.isExecutable(SLAPD)) {
      throw new IllegalStateException(
          "slapd is not installed: apt-get install slapd ldap-utils (./ajr test installs it)");
    }
    Path dir = Files.createTempDirectory("ajr-slapd-");
    Slapd slapd = new Slapd(dir, freePort(), freePort());
    try {
      slapd.makeCertificates();
      slapd.writeConfig();
      slapd.launch();
      slapd.loadBase();
      return slapd;
    } catch (IOException | RuntimeException e) {
      slapd.close();
      throw e;
    }
  }

  /** The plain ldap:// URI. */
  public String uri() {
    return "ldap://127.0.0.1:" + ldapPort;
  }

  /** The ldaps:// URI (TLS from the first byte), whose certificate {@link #caCert()} issued. */
  public String ldapsUri() {
    return "ldaps://127.0.0.1:" + ldapsPort;
  }

  /** The same ldaps:// server by the name {@code localhost}, which its certificate also holds. */
  public String ldapsUriByName() {
    return "ldaps://localhost:" + ldapsPort;
  }

  /**
   * The same ldaps:// server on another loopback address, 127.0.0.2, which its certificate does not
   * name: a client that checks host names must refuse it.
   */
  public String ldapsUriNotInCertificate() {
    return "ldaps://127.0.0.2:" + ldapsPort;
  }

  /** PEM file of the CA that issued the server certificate. */
  public Path caCert() {
    return dir.resolve("ca.pem");
  }

  /** PEM file of another CA, which did not issue the server certificate. */
  public Path untrustedCaCert() throws IOException {
    Path other = dir.resolve("other-ca.pem");
    if (!Files.exists(other)) {
      openssl(
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "2",
          "-keyout",
          dir.resolve("other-ca.key").toString(),
          "-out",
          other.toString(),
          "-subj",
          "/CN=ajr test other CA",
          "-addext",
          "basicConstraints=critical,CA:TRUE",
          "-addext",
          "keyUsage=critical,keyCertSign,cRLSign");
    }
    return other;
  }

  /** The service account that may search users (read-only). */
  public String bindDn() {
    return SERVICE_DN;
  }

  public String bindPassword() {
    return servicePassword;
  }

  /** Where users are: {@code ou=people,dc=ajr,dc=test}. */
  public String searchBase() {
    return "ou=people," + SUFFIX;
  }

  public String userDn(String uid) {
    return "uid=" + uid + "," + searchBase();
  }

  public String groupDn(String cn) {
    return "cn=" + cn + ",ou=groups," + SUFFIX;
  }

  /** Adds a groupOfNames (its required member is the service account until users join). */
  public void addGroup(String cn) {
    withRoot(c ->
        c.add(
            groupDn(cn),
            new Attribute("objectClass", "top", "groupOfNames"),
            new Attribute("cn", cn),
            new Attribute("member", SERVICE_DN)));
  }

  /** Adds a posixGroup, whose members are named by {@code memberUid}. */
  public void addPosixGroup(String cn, int gid, String... memberUids) {
    List<Attribute> attributes = new ArrayList<>();
    attributes.add(new Attribute("objectClass", "top", "posixGroup"));
    attributes.add(new Attribute("cn", cn));
    attributes.add(new Attribute("gidNumber", Integer.toString(gid)));
    if (memberUids.length > 0) {
      attributes.add(new Attribute("memberUid", memberUids));
    }
    withRoot(c -> c.add(groupDn(cn), attributes));
  }

  /**
   * Adds an inetOrgPerson/posixAccount {@code uid=...,ou=people} with a salted SHA password, and
   * makes it a member of the given groupOfNames groups (made with {@link #addGroup}).
   */
  public void addUser(String uid, String password, String... groupCns) {
    int number = 10_000 + Math.floorMod(uid.hashCode(), 50_000);
    withRoot(c -> {
      c.add(
          userDn(uid),
          new Attribute("objectClass", "top", "inetOrgPerson", "posixAccount"),
          new Attribute("uid", uid),
          new Attribute("cn", uid),
          new Attribute("sn", uid),
          new Attribute("uidNumber", Integer.toString(number)),
          new Attribute("gidNumber", Integer.toString(number)),
          new Attribute("homeDirectory", "/home/" + uid),
          new Attribute("userPassword", ssha(password)));
      for (String group : groupCns) {
        c.modify(groupDn(group), new Modification(ModificationType.ADD, "member", userDn(uid)));
      }
    });
  }

  /** Stops slapd (the directory stays, for a test that needs it down). Idempotent. */
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private interface RootWork {
    void run(LDAPConnection connection) throws LDAPException;
  }

  private void withRoot(RootWork work) {
    try (LDAPConnection c = new LDAPConnection("127.0.0.1", ldapPort, ROOT_DN, rootPassword)) {
      work.run(c);
    } catch (LDAPException e) {
      throw new IllegalStateException("slapd fixture: " + e.getMessage(), e);
    }
  }

  private void makeCertificates() throws IOException {
    String ca = dir.resolve("ca.pem").toString();
    String caKey = dir.resolve("ca.key").toString();
    String key = dir.resolve("server.key").toString();
    String csr = dir.resolve("server.csr").toString();
    Path ext = dir.resolve("server.ext");
    Files.writeString(
        ext,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            + "basicConstraints=CA:FALSE\n"
            + "keyUsage=critical,digitalSignature,keyEncipherment\n"
            + "extendedKeyUsage=serverAuth\n");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        caKey,
        "-out",
        ca,
        "-subj",
        "/CN=ajr test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        csr,
        "-subj",
        "/CN=localhost");
    openssl(
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        caKey,
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        dir.resolve("server.pem").toString(),
        "-extfile",
        ext.toString());
  }

  private void writeConfig() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    String conf =
        String.join(
            "\n",
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            "include /etc/ldap/schema/nis.schema",
            "pidfile " + dir.resolve("slapd.pid"),
            "argsfile " + dir.resolve("slapd.args"),
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "TLSCACertificateFile " + caCert(),
            "TLSCertificateFile " + dir.resolve("server.pem"),
            "TLSCertificateKeyFile " + dir.resolve("server.key"),
            "database mdb",
            "maxsize 67108864",
            "suffix \"" + SUFFIX + "\"",
            "rootdn \"" + ROOT_DN + "\"",
            "rootpw " + rootPassword,
            "directory " + data,
            "access to attrs=userPassword by self write by anonymous auth by * none",
            "access to * by users read by * none",
            "");
    Files.writeString(dir.resolve("slapd.conf"), conf);
  }

  private void launch() throws IOException {
    Path logFile = dir.resolve("slapd.log");
    process =
        new ProcessBuilder(
                SLAPD.toString(),
                "-f",
                dir.resolve("slapd.conf").toString(),
                "-h",
                uri() + "/ " + ldapsUri() + "/ " + ldapsUriNotInCertificate() + "/",
                "-d",
                "0")
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    LDAPException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "slapd exited with " + process.exitValue() + " at start: " + Files.readString(logFile));
      }
      try (LDAPConnection c = new LDAPConnection()) {
        c.connect("127.0.0.1", ldapPort, 1000);
        c.bind(ROOT_DN, rootPassword);
        return;
      } catch (LDAPException e) {
        last = e; // not listening yet: ask again, up to the deadline
        try {
          process.waitFor(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while slapd starts", ie);
        }
      }
    }
    throw new IllegalStateException(
        "slapd did not answer on "
            + uri()
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s: "
            + (last == null ? "" : last.getMessage())
            + "\n"
            + Files.readString(logFile));
  }

  private void loadBase() {
    withRoot(c -> {
      c.add(
          SUFFIX,
          new Attribute("objectClass", "top", "dcObject", "organization"),
          new Attribute("dc", "ajr"),
          new Attribute("o", "ajr test"));
      for (String ou : List.of("people", "groups", "services")) {
        c.add(
            "ou=" + ou + "," + SUFFIX,
            new Attribute("objectClass", "top", "organizationalUnit"),
            new Attribute("ou", ou));
      }
      c.add(
          SERVICE_DN,
          new Attribute("objectClass", "top", "organizationalRole", "simpleSecurityObject"),
          new Attribute("cn", "ajr-reader"),
          new Attribute("userPassword", ssha(servicePassword)));
    });
  }

  private void openssl(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path out = dir.resolve("openssl.log");
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "openssl is not installed: apt-get install openssl (./ajr test installs it)", e);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "openssl " + String.join(" ", args) + " failed: " + Files.readString(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while openssl runs", e);
    }
  }

  /** {SSHA}: the salted SHA-1 userPassword scheme every OpenLDAP understands. */
  private static String ssha(String password) {
    byte[] salt = new byte[8];
    RANDOM.nextBytes(salt);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      sha.update(salt);
      byte[] digest = sha.digest();
      byte[] both = new byte[digest.length + salt.length];
      System.arraycopy(digest, 0, both, 0, digest.length);
      System.arraycopy(salt, 0, both, digest.length, salt.length);
      return "{SSHA}" + Base64.getEncoder().encodeToString(both);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String secret() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
