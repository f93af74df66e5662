package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  @Test
  void aHashVerifiesItsPasswordOnly() {
    String stored = PasswordHasher.hash("correct horse");

    assertThat(stored).startsWith("pbkdf2-sha256$600000$");
    assertThat(stored).doesNotContain("correct horse");
    assertThat(PasswordHasher.verify("correct horse", stored)).isTrue();
    assertThat(PasswordHasher.verify("correct horsE", stored)).isFalse();
    assertThat(PasswordHasher.verify("", stored)).isFalse();
  }

  @Test
  void twoHashesOfTheSamePasswordDifferByTheirSalt() {
    String first = PasswordHasher.hash("secret");
    String second = PasswordHasher.hash("secret");

    assertThat(first).isNotEqualTo(second);
    assertThat(first.split("\\$")[2]).isNotEqualTo(second.split("\\$")[2]);
  }

  @Test
  void aMalformedStoredHashVerifiesNothing() {
    assertThat(PasswordHasher.verify("x", "")).isFalse();
    assertThat(PasswordHasher.verify("x", "plain-text-password")).isFalse();
    assertThat(PasswordHasher.verify("x", "md5$1$abc$def")).isFalse();
    assertThat(PasswordHasher.verify("x", "pbkdf2-sha256$many$AAAA$AAAA")).isFalse();
    assertThat(PasswordHasher.verify("x", "pbkdf2-sha256$1000$not base64!$AAAA")).isFalse();
    assertThat(PasswordHasher.verify("x", "pbkdf2-sha256$1000$AAAA")).isFalse();
  }

  @Test
  void aStoredHashWithANonPositiveIterationCountVerifiesNothing() {
    assertThat(PasswordHasher.verify("x", "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA$AAAA")).isFalse();
    assertThat(PasswordHasher.verify("x", "pbkdf2-sha256$-1$AAAAAAAAAAAAAAAAAAAAAA$AAAA"))
        .isFalse();
  }

  @Test
  void aStoredHashWithAnEmptySaltVerifiesNothing() {
    assertThat(PasswordHasher.verify("x", "pbkdf2-sha256$1000$$AAAA")).isFalse();
  }

  @Test
  void digestIsHexSha256() {
    assertThat(PasswordHasher.digest("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void randomSecretsAreUrlSafeAndDistinct() {
    String a = PasswordHasher.randomSecret();
    String b = PasswordHasher.randomSecret();

    assertThat(a).matches("[A-Za-z0-9_-]{43}");
    assertThat(a).isNotEqualTo(b);
  }
}
