package dev.ajr.server.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.BasicAuth;
import dev.ajr.server.http.TestApi;
import dev.ajr.server.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The API served over HTTPS from PEM files, with the plain-HTTP redirect port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsApiServerTest {

  private static final String ADMIN = BasicAuth.header("admin", "admin-pass");

  @TempDir static Path dataDir;
  @TempDir static Path certDir;
  private final ObjectMapper json = new ObjectMapper();
  private Database db;
  private TestCertificates certs;
  private ApiServer server;
  private int redirectPort;
  private HttpClient https;
  private final HttpClient plain =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws IOException {
    Clock clock = Clock.systemUTC();
    db = Database.openSqlite(dataDir);
    UserStore users = new UserStore(db, clock);
    users.putUser("admin", "admin-pass", Role.ADMIN);
    certs = TestCertificates.create(certDir);
    redirectPort = freePort();
    server =
        TestApi.on(db, clock)
            .users(users)
            .tls(certs.settings().withRedirectPort(redirectPort))
            .start();
    https =
        HttpClient.newBuilder()
            .sslContext(certs.sslContext())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  void stop() {
    server.close();
    db.close();
  }

  private URI https(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  private URI redirect(String path) {
    return URI.create("http://localhost:" + redirectPort + path);
  }

  @Test
  void servesHealthAndAuthenticatedCallsOverHttps() throws Exception {
    HttpResponse<String> health =
        https.send(
            HttpRequest.newBuilder(https("/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> me =
        https.send(
            HttpRequest.newBuilder(https("/api/v1/me")).header("Authorization", ADMIN).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(server.secure()).isTrue();
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json.readTree(health.body()).path("status").asText()).isEqualTo("ok");
    assertThat(me.statusCode()).isEqualTo(200);
    JsonNode who = json.readTree(me.body());
    assertThat(who.path("username").asText()).isEqualTo("admin");
    assertThat(who.path("role").asText()).isEqualTo("admin");
    X509Certificate served =
        (X509Certificate) me.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(served).isEqualTo(certs.serverCertificate());
    assertThat(me.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(me.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
  }

  @Test
  void plainHttpToTheHttpsPortFails() {
    assertThatThrownBy(() ->
            plain.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefused() {
    assertThatThrownBy(() ->
            plain.send(
                HttpRequest.newBuilder(https("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void tls12IsServed() throws Exception {
    SSLParameters tls12 = new SSLParameters();
    tls12.setProtocols(new String[] {"TLSv1.2"});
    HttpClient client =
        HttpClient.newBuilder().sslContext(certs.sslContext()).sslParameters(tls12).build();

    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(https("/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
  }

  @Test
  void tls11IsRefused() throws Exception {
    // A hand-made ClientHello: the JDK's own client will not even offer TLS 1.1.
    assertThat(firstRecord(clientHello(0x0303)))
        .as("TLS 1.2 hello gets a ServerHello")
        .startsWith(0x16, 0x03, 0x03);
    byte[] answer = firstRecord(clientHello(0x0302));

    assertThat(answer.length == 0 || answer[0] == 0x15)
        .as("TLS 1.1 hello answered with an alert or a closed connection, not a handshake")
        .isTrue();
  }

  @Test
  void theRedirectPortSendsPagesToHttps() throws Exception {
    HttpResponse<String> page =
        plain.send(
            HttpRequest.newBuilder(redirect("/ui/workflows?state=failed")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> head =
        plain.send(
            HttpRequest.newBuilder(redirect("/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(308);
    assertThat(page.headers().firstValue("Location"))
        .hasValue("https://localhost:" + server.port() + "/ui/workflows?state=failed");
    assertThat(head.statusCode()).isEqualTo(308);
    assertThat(head.headers().firstValue("Location"))
        .hasValue("https://localhost:" + server.port() + "/");
  }

  @Test
  void theRedirectPortRefusesApiCallsAndPushes() throws Exception {
    HttpResponse<String> jobs =
        plain.send(
            HttpRequest.newBuilder(redirect("/api/v1/jobs")).header("Authorization", ADMIN).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> push =
        plain.send(
            HttpRequest.newBuilder(redirect("/loki/api/v1/push"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"streams\":[]}"))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> login =
        plain.send(
            HttpRequest.newBuilder(redirect("/login"))
                .POST(HttpRequest.BodyPublishers.ofString("user=admin&password=x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    for (HttpResponse<String> refused : java.util.List.of(jobs, push, login)) {
      assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(403);
      JsonNode error = json.readTree(refused.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("https_required");
      assertThat(error.path("message").asText()).contains("https://localhost:" + server.port());
    }
  }

  /** The first TLS record the server sends back (up to 5 + 64 bytes), empty when it just closes. */
  private byte[] firstRecord(byte[] hello) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(hello);
      socket.getOutputStream().flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[5];
      try {
        in.readFully(header);
      } catch (EOFException | java.net.SocketException e) {
        return new byte[0];
      }
      return header;
    }
  }

  /** A minimal ClientHello with the given legacy version and no supported_versions extension. */
  private static byte[] clientHello(int version) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(version >> 8);
    body.write(version & 0xff);
    body.writeBytes(new byte[32]); // random
    body.write(0); // no session id
    int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013, 0x002F};
    short16(body, suites.length * 2);
    for (int suite : suites) {
      short16(body, suite);
    }
    body.write(1); // compression methods: null
    body.write(0);
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    extension(extensions, 0x000a, new byte[] {0x00, 0x02, 0x00, 0x17}); // groups: secp256r1
    extension(extensions, 0x000b, new byte[] {0x01, 0x00}); // point formats: uncompressed
    extension(
        extensions,
        0x000d,
        new byte[] {0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01}); // signature algorithms
    short16(body, extensions.size());
    body.writeBytes(extensions.toByteArray());

    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    handshake.write(0x01); // ClientHello
    handshake.write(body.size() >> 16);
    short16(handshake, body.size() & 0xffff);
    handshake.writeBytes(body.toByteArray());

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16); // handshake
    short16(record, 0x0301);
    short16(record, handshake.size());
    record.writeBytes(handshake.toByteArray());
    return record.toByteArray();
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    short16(out, type);
    short16(out, data.length);
    out.writeBytes(data);
  }

  private static void short16(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xff);
    out.write(value & 0xff);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
