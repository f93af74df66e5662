package dev.ajr.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionType;
import dev.ajr.server.config.option.RawValue;
import dev.ajr.server.config.option.Source;
import dev.ajr.server.config.option.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a YAML configuration file of nested keys into dotted option names and values as written,
 * each with its line. A key written twice in one mapping, a key that is no option and a mapping
 * where a value belongs are refused with the file, the line and the key: YAML parsers otherwise
 * keep the last of two duplicate keys without a word.
 */
final class YamlOptionsFile {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Path file;
  private final Map<String, RawValue> values = new LinkedHashMap<>();

  private YamlOptionsFile(Path file) {
    this.file = file;
  }

  /** The options the file sets, in the order written. */
  static Map<String, RawValue> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("cannot read the configuration file " + file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException("cannot read the configuration file " + file + ": " + e);
    }
    YamlOptionsFile reader = new YamlOptionsFile(file);
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null || first == JsonToken.VALUE_NULL) {
        return Map.of();
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(file + ": the configuration must be a mapping of options");
      }
      reader.mapping(p, "");
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          file + ": not valid YAML: " + e.getOriginalMessage() + " (line " + line(e) + ")");
    } catch (IOException e) {
      throw new ConfigException("cannot read the configuration file " + file + ": " + e);
    }
    return reader.values;
  }

  private static int line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /** Reads the keys of a mapping whose start was just read, under the dotted {@code prefix}. */
  private void mapping(JsonParser p, String prefix) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int line = p.currentTokenLocation().getLineNr();
      JsonToken value = p.nextToken();
      checkDuplicate(seen, key, line, value);
      String name = prefix + key;
      Optional<Option<?>> option = OptionCatalog.find(name);
      Source source = Source.file(file, line);
      if (option.isPresent() && option.get().type().kind() == OptionType.Kind.STRUCTURED) {
        values.put(name, RawValue.structured(node(p), source));
      } else if (value == JsonToken.START_OBJECT) {
        if (option.isPresent()) {
          throw error(name + " takes a single value, not a mapping", line);
        }
        mapping(p, name + ".");
      } else if (option.isEmpty()) {
        throw unknown(name, line);
      } else if (value == JsonToken.START_ARRAY) {
        values.put(name, RawValue.text(String.join(",", items(p, name, line)), source));
      } else {
        values.put(name, RawValue.text(value == JsonToken.VALUE_NULL ? "" : p.getText(), source));
      }
    }
  }

  private void checkDuplicate(Map<String, Integer> seen, String key, int line, JsonToken value) {
    Integer first = seen.putIfAbsent(key, line);
    if (first != null) {
      throw new ConfigException(
          file
              + ": duplicate key \""
              + key
              + "\" at line "
              + line
              + " (first at line "
              + first
              + "); "
              + (value == JsonToken.START_OBJECT ? "merge the two blocks" : "keep one of them"));
    }
  }

  private List<String> items(JsonParser p, String name, int line) throws IOException {
    List<String> items = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (!t.isScalarValue()) {
        throw error(name + " takes a list of values, not of mappings or lists", line);
      }
      items.add(t == JsonToken.VALUE_NULL ? "" : p.getText());
    }
    return items;
  }

  /** The YAML of a structured option as a tree, refusing duplicate keys at any depth. */
  private JsonNode node(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      ObjectNode object = NODES.objectNode();
      Map<String, Integer> seen = new HashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int line = p.currentTokenLocation().getLineNr();
        JsonToken value = p.nextToken();
        checkDuplicate(seen, key, line, value);
        object.set(key, node(p));
      }
      return object;
    }
    if (t == JsonToken.START_ARRAY) {
      ArrayNode array = NODES.arrayNode();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        array.add(node(p));
      }
      return array;
    }
    return switch (t) {
      case VALUE_NULL -> NODES.nullNode();
      case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(t == JsonToken.VALUE_TRUE);
      default -> NODES.textNode(p.getText());
    };
  }

  private ConfigException unknown(String name, int line) {
    if (OptionCatalog.isGroup(name)) {
      return error(name + " holds options: write them under it, like " + example(name), line);
    }
    String hint =
        Suggestions.closest(name, OptionCatalog.names())
            .map(s -> "; did you mean " + s + "?")
            .orElse("");
    return new ConfigException(
        file
            + ": unknown option \""
            + name
            + "\" at line "
            + line
            + hint
            + " (see docs/configuration.md)");
  }

  private static String example(String group) {
    return OptionCatalog.names().stream()
        .filter(n -> n.startsWith(group + "."))
        .findFirst()
        .orElse(group);
  }

  private ConfigException error(String message, int line) {
    return new ConfigException(file + ": " + message + " (line " + line + ")");
  }
}
