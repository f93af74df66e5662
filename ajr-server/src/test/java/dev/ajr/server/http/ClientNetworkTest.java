package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is, and which addresses are addresses at all: literals only, never DNS. */
class ClientNetworkTest {

  private static InetAddress ip(String text) {
    return ClientNetwork.address(text).orElseThrow();
  }

  @Test
  void onlyIpLiteralsAreAddresses() {
    assertThat(ClientNetwork.address("10.0.0.5")).contains(ip("10.0.0.5"));
    assertThat(ClientNetwork.address(" 10.0.0.5:4431 ")).contains(ip("10.0.0.5"));
    assertThat(ClientNetwork.address("::1")).contains(ip("0:0:0:0:0:0:0:1"));
    assertThat(ClientNetwork.address("[2001:db8::7]:443")).contains(ip("2001:db8:0:0:0:0:0:7"));
    for (String notOne :
        new String[] {"localhost", "proxy.example.org", "unknown", "", "1.2.3", "::zz", "[::1"}) {
      assertThat(ClientNetwork.address(notOne)).as(notOne).isEmpty();
    }
    assertThat(ClientNetwork.address(null)).isEmpty();
  }

  @Test
  void theForwardedClientIsBelievedOnlyFromATrustedProxy() {
    ClientNetwork network = new ClientNetwork(null, List.of(ip("10.0.0.1"), ip("10.0.0.2")));
    // a direct client naming anyone it likes is itself
    assertThat(network.clientAddress(ip("192.0.2.9"), List.of("198.51.100.1")))
        .isEqualTo("192.0.2.9");
    // through the proxy: the nearest hop that is not a trusted proxy
    assertThat(network.clientAddress(ip("10.0.0.1"), List.of("198.51.100.1")))
        .isEqualTo("198.51.100.1");
    assertThat(network.clientAddress(ip("10.0.0.1"), List.of("6.6.6.6, 198.51.100.1", "10.0.0.2")))
        .isEqualTo("198.51.100.1");
    // a hop that is no address ends the walk at the last trusted one
    assertThat(network.clientAddress(ip("10.0.0.1"), List.of("198.51.100.1, unknown")))
        .isEqualTo("10.0.0.1");
    // IPv6 in any spelling
    ClientNetwork v6 = new ClientNetwork(null, List.of(ip("::1")));
    assertThat(v6.clientAddress(ip("0:0:0:0:0:0:0:1"), List.of("2001:db8::7")))
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(network.clientAddress(ip("10.0.0.1"), List.of())).isEqualTo("10.0.0.1");
  }

  @Test
  void originsCompareByScheme_hostAndPortWithDefaultPorts() {
    assertThat(ClientNetwork.Origin.parse("https://AJR.example.org"))
        .isEqualTo(ClientNetwork.Origin.ofHost("https", "ajr.example.org:443"));
    assertThat(ClientNetwork.Origin.parse("http://127.0.0.1:8080"))
        .isEqualTo(ClientNetwork.Origin.ofHost("http", "127.0.0.1:8080"));
    assertThat(ClientNetwork.Origin.parse("http://127.0.0.1:8080"))
        .isNotEqualTo(ClientNetwork.Origin.ofHost("https", "127.0.0.1:8080"));
    assertThat(ClientNetwork.Origin.parse("null")).isEmpty();
    assertThat(ClientNetwork.Origin.parse("file:///etc/passwd")).isEmpty();
    assertThat(ClientNetwork.Origin.ofHost("http", "evil.example/x@y")).isEmpty();
    assertThat(
            new ClientNetwork(URI.create("https://ajr.example.org/ui/"), List.of()).hasPublicUrl())
        .isTrue();
  }
}
