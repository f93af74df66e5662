package dev.ajr.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path with parameters, such as {@code /api/v1/nodes/{node}/undrain}. A parameter's name sets
 * what it matches (see {@link Param}), so a handler gets only values of the right shape: a path
 * whose parameter has another shape does not match at all (404).
 *
 * <p>Immutable and thread-safe.
 */
final class PathTemplate {

  /** The shapes of path parameters. */
  enum Param {
    /** A database id: at most 18 digits, so it always fits a {@code long}. */
    ID("\\d{1,18}"),
    /** A Slurm node name ({@link dev.ajr.core.detect.NodeNames}): never one starting with -. */
    NODE("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
    /** A user name, as {@link UserRoutes#NAME}. */
    USER(UserRoutes.NAME);

    final String regex;

    Param(String regex) {
      this.regex = regex;
    }
  }

  /** Every parameter name a template may use, with its shape. */
  static final Map<String, Param> PARAMS =
      Map.of("jobId", Param.ID, "id", Param.ID, "node", Param.NODE, "name", Param.USER);

  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");

  private final String text;
  private final Pattern pattern;
  private final List<String> names;

  /**
   * @throws IllegalArgumentException when the template does not start with / or names a parameter
   *     not in {@link #PARAMS}
   */
  PathTemplate(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("a path template starts with /: " + text);
    }
    List<String> found = new ArrayList<>();
    StringBuilder regex = new StringBuilder();
    Matcher m = PARAM.matcher(text);
    int last = 0;
    while (m.find()) {
      Param param = PARAMS.get(m.group(1));
      if (param == null) {
        throw new IllegalArgumentException(
            "unknown path parameter {" + m.group(1) + "} in " + text + "; one of " + PARAMS);
      }
      regex.append(Pattern.quote(text.substring(last, m.start())));
      regex.append('(').append(param.regex).append(')');
      found.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(text.substring(last)));
    this.text = text;
    this.pattern = Pattern.compile(regex.toString());
    this.names = List.copyOf(found);
  }

  /** The parameters of {@code path} by name, or empty when it does not match. */
  Optional<Map<String, String>> match(String path) {
    Matcher m = pattern.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      values.put(names.get(i), m.group(i + 1));
    }
    return Optional.of(values);
  }

  @Override
  public String toString() {
    return text;
  }
}
