package dev.ajr.server.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSetParserTest {

  @Test
  void readsLabelsInOrderWithOrWithoutSpaces() throws Exception {
    assertThat(LabelSetParser.parse("{job=\"slurm\",host=\"gpu-01\"}"))
        .containsExactly(Map.entry("job", "slurm"), Map.entry("host", "gpu-01"));
    assertThat(LabelSetParser.parse(" { job = \"slurm\" , host=\"gpu-01\" , } "))
        .containsExactly(Map.entry("job", "slurm"), Map.entry("host", "gpu-01"));
    assertThat(LabelSetParser.parse("{}")).isEmpty();
  }

  @Test
  void readsEscapesAndQuotedNames() throws Exception {
    assertThat(
            LabelSetParser.parse(
                "{a=\"q\\\"uote\", b=\"back\\\\slash\", c=\"new\\nline\", d=\"tab\\t\","
                    + " e=\"\\u00e9\", \"service.name\"=\"trainer\"}"))
        .containsExactly(
            Map.entry("a", "q\"uote"),
            Map.entry("b", "back\\slash"),
            Map.entry("c", "new\nline"),
            Map.entry("d", "tab\t"),
            Map.entry("e", "é"),
            Map.entry("service.name", "trainer"));
  }

  @Test
  void mistakesSayWhatAndWhere() {
    assertThatThrownBy(() -> LabelSetParser.parse("job=\"slurm\""))
        .isInstanceOf(LokiFormatException.class)
        .hasMessage(
            "cannot read the stream labels job=\"slurm\" (Prometheus label syntax {name=\"value\","
                + " ...}): expected '{' at character 0");
    assertThatThrownBy(() -> LabelSetParser.parse("{job=\"slurm\""))
        .hasMessageEndingWith("expected ',' or '}' after the value of label 'job' at character 12");
    assertThatThrownBy(() -> LabelSetParser.parse("{job=\"slurm}"))
        .hasMessageEndingWith("a quoted string is never closed at character 5");
    assertThatThrownBy(() -> LabelSetParser.parse("{job=\"a\\qb\"}"))
        .hasMessageEndingWith("unknown escape '\\q' at character 7");
    assertThatThrownBy(() -> LabelSetParser.parse("{1job=\"a\"}"))
        .hasMessageContaining("expected a label name");
    assertThatThrownBy(() -> LabelSetParser.parse("{a=\"1\", a=\"2\"}"))
        .hasMessageContaining("label 'a' appears twice");
    assertThatThrownBy(() -> LabelSetParser.parse("{a=\"1\"} extra"))
        .hasMessageContaining("unexpected text after '}'");
  }
}
