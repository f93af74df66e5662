package dev.ajr.server.config.option;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  private static final List<String> OPTIONS =
      List.of("recovery.mode", "recovery.max-per-cause", "server.port", "server.host");

  @Test
  void aTypoOrASwapOfNeighboursFindsTheOptionMeant() {
    assertThat(Suggestions.closest("recovery.mdoe", OPTIONS)).contains("recovery.mode");
    assertThat(Suggestions.closest("server.prot", OPTIONS)).contains("server.port");
    assertThat(Suggestions.closest("server.hots", OPTIONS)).contains("server.host");
  }

  @Test
  void aWordFarFromEveryOptionGetsNoGuess() {
    assertThat(Suggestions.closest("colour", OPTIONS)).isEmpty();
    assertThat(Suggestions.closest("--bogus", List.of("--port", "--host"))).isEmpty();
  }

  @Test
  void theDistanceCountsASwapAsOneEdit() {
    assertThat(Suggestions.distance("mdoe", "mode")).isEqualTo(1);
    assertThat(Suggestions.distance("port", "port")).isZero();
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
  }
}
