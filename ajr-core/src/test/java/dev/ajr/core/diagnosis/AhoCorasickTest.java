package dev.ajr.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

  private static BitSet find(AhoCorasick ac, String text) {
    BitSet found = new BitSet();
    ac.find(text, found);
    return found;
  }

  @Test
  void findsOverlappingAndNestedLiteralsCaseInsensitively() {
    AhoCorasick ac = new AhoCorasick(List.of("he", "she", "his", "hers", "xid"));

    assertThat(find(ac, "USHERS")).isEqualTo(bits(0, 1, 3));
    assertThat(find(ac, "NVRM: Xid (PCI:0000:3b:00): 79")).isEqualTo(bits(4));
    assertThat(find(ac, "nothing here?")).isEqualTo(bits(0)); // "he" in "here", no "hers"
  }

  @Test
  void nonAsciiTextNeitherBreaksNorMatchesAcrossIt() {
    AhoCorasick ac = new AhoCorasick(List.of("ab"));

    assertThat(find(ac, "a\u00e9b ab")).isEqualTo(bits(0));
    assertThat(find(ac, "a\u00e9b").isEmpty()).isTrue();
  }

  @Test
  void agreesWithAPlainSearchOnRandomText() {
    Random random = new Random(3);
    List<String> literals = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      literals.add(word(random, 1 + random.nextInt(5)));
    }
    AhoCorasick ac = new AhoCorasick(literals);
    for (int round = 0; round < 500; round++) {
      String text = word(random, random.nextInt(80));
      String mixed = random.nextBoolean() ? text.toUpperCase(Locale.ROOT) : text;
      BitSet expected = new BitSet();
      for (int i = 0; i < literals.size(); i++) {
        if (text.contains(literals.get(i))) {
          expected.set(i);
        }
      }
      assertThat(find(ac, mixed)).as(mixed).isEqualTo(expected);
    }
  }

  private static String word(Random random, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append((char) ('a' + random.nextInt(4)));
    }
    return b.toString();
  }

  private static BitSet bits(int... ids) {
    BitSet b = new BitSet();
    for (int id : ids) {
      b.set(id);
    }
    return b;
  }
}
