package dev.ajr.server.ingest.loki;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a label set written in Prometheus syntax, as the {@code labels} field of a protobuf push
 * carries it: {@code {job="slurm", host="gpu-01", msg="say \"hi\""}}.
 *
 * <p>Contract: names are {@code [a-zA-Z_][a-zA-Z0-9_]*} (or any double-quoted string, as Prometheus
 * 3 allows); values are double-quoted with the escapes {@code \\ \" \n \t \r} and {@code \\uXXXX};
 * white space around tokens and a trailing comma are allowed; {@code {}} is the empty set. Anything
 * else, or a name given twice, is a {@link LokiFormatException} that quotes the label set and says
 * where it went wrong.
 */
final class LabelSetParser {

  private final String text;
  private int position;

  private LabelSetParser(String text) {
    this.text = text;
  }

  static Map<String, String> parse(String text) throws LokiFormatException {
    return new LabelSetParser(text).labelSet();
  }

  private Map<String, String> labelSet() throws LokiFormatException {
    Map<String, String> labels = new LinkedHashMap<>();
    skipSpaces();
    expect('{');
    skipSpaces();
    while (!peek('}')) {
      String name = name();
      skipSpaces();
      expect('=');
      skipSpaces();
      if (!peek('"')) {
        throw error("expected a double-quoted value for label '" + name + "'");
      }
      String value = quoted();
      if (labels.putIfAbsent(name, value) != null) {
        throw error("label '" + name + "' appears twice");
      }
      skipSpaces();
      if (peek(',')) {
        position++;
        skipSpaces();
      } else if (!peek('}')) {
        throw error("expected ',' or '}' after the value of label '" + name + "'");
      }
    }
    position++;
    skipSpaces();
    if (position != text.length()) {
      throw error("unexpected text after '}'");
    }
    return labels;
  }

  private String name() throws LokiFormatException {
    if (peek('"')) {
      String name = quoted();
      if (name.isEmpty()) {
        throw error("a label name is empty");
      }
      return name;
    }
    int start = position;
    while (position < text.length() && isNameChar(text.charAt(position), position == start)) {
      position++;
    }
    if (position == start) {
      throw error(
          position >= text.length()
              ? "the label set ends without '}'"
              : "expected a label name (letters, digits and '_', not starting with a digit)");
    }
    return text.substring(start, position);
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_'
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (!first && c >= '0' && c <= '9');
  }

  private String quoted() throws LokiFormatException {
    int start = position;
    position++; // the opening quote
    StringBuilder value = new StringBuilder();
    while (true) {
      if (position >= text.length()) {
        position = start;
        throw error("a quoted string is never closed");
      }
      char c = text.charAt(position++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (position >= text.length()) {
        throw error("a quoted string ends with a lone backslash");
      }
      char escaped = text.charAt(position++);
      switch (escaped) {
        case '\\' -> value.append('\\');
        case '"' -> value.append('"');
        case 'n' -> value.append('\n');
        case 't' -> value.append('\t');
        case 'r' -> value.append('\r');
        case 'u' -> value.append(unicodeEscape());
        default -> {
          position -= 2;
          throw error("unknown escape '\\" + escaped + "'");
        }
      }
    }
  }

  private char unicodeEscape() throws LokiFormatException {
    if (position + 4 > text.length()) {
      throw error("'\\u' needs four hex digits");
    }
    try {
      char c = (char) Integer.parseInt(text.substring(position, position + 4), 16);
      position += 4;
      return c;
    } catch (NumberFormatException e) {
      throw error("'\\u' needs four hex digits");
    }
  }

  private void skipSpaces() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
  }

  private boolean peek(char c) {
    return position < text.length() && text.charAt(position) == c;
  }

  private void expect(char c) throws LokiFormatException {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    position++;
  }

  private LokiFormatException error(String problem) {
    String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return new LokiFormatException(
        "cannot read the stream labels "
            + shown
            + " (Prometheus label syntax {name=\"value\", ...}): "
            + problem
            + " at character "
            + position);
  }
}
