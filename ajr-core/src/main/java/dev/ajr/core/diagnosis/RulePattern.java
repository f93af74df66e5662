package dev.ajr.core.diagnosis;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * One regular expression of a rule, matched in time linear in the line whatever the line holds.
 *
 * <p>Design: the expression is compiled by RE2J, an automaton engine after Google's RE2 that never
 * backtracks: the work to match a line is bounded by the line's length times the size of the
 * compiled expression. The price is that constructs only a backtracking engine can run are refused
 * when the rule loads: lookahead and lookbehind, backreferences, possessive quantifiers and atomic
 * groups. Everything else rules use is the same as in {@code java.util.regex}: {@code (?i)}, {@code
 * (?:...)}, named groups {@code (?<name>...)}, {@code \b}, {@code \d}, {@code \s}, {@code \w},
 * classes and alternation. {@code \d}, {@code \s}, {@code \w} and {@code \b} are ASCII.
 *
 * <p>Immutable and thread-safe (each match makes its own {@link Matcher}).
 */
public final class RulePattern {

  private final String source;
  private final Pattern compiled;
  private final Map<String, Integer> groups;

  /** Text every match contains, searched for before the expression runs; null if none is known. */
  private final RequiredText required;

  private RulePattern(String source, Pattern compiled) {
    this.source = source;
    this.compiled = compiled;
    this.groups = Map.copyOf(compiled.namedGroups());
    this.required = RequiredText.of(source);
  }

  /**
   * Compiles an expression.
   *
   * @throws IllegalArgumentException saying what is wrong, and for a construct that cannot run in
   *     linear time, which one and why it is refused
   */
  public static RulePattern compile(String source) {
    String refused = refusedConstruct(source);
    if (refused != null) {
      throw new IllegalArgumentException(
          "pattern "
              + source
              + " uses "
              + refused
              + ", which only a backtracking engine can run and which can take time growing with"
              + " the square of the line or worse; rules are matched in linear time: rewrite it"
              + " without");
    }
    try {
      return new RulePattern(source, Pattern.compile(source));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "pattern " + source + " does not compile: " + e.getDescription(), e);
    }
  }

  /** The expression as written in the rule. */
  public String source() {
    return source;
  }

  /** True when the expression has a named group {@code name}. */
  public boolean hasGroup(String name) {
    return groups.containsKey(name);
  }

  /** Whether the expression matches somewhere in {@code text}. */
  public boolean find(CharSequence text) {
    return (required == null || required.in(text)) && compiled.matcher(text).find();
  }

  /** A matcher positioned at the first match in {@code text}, or null when there is none. */
  public Matcher firstMatch(CharSequence text) {
    if (required != null && !required.in(text)) {
      return null;
    }
    Matcher m = compiled.matcher(text);
    return m.find() ? m : null;
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * The first construct of {@code source} that needs backtracking, named for a person, or null.
   * RE2J refuses these too, but with a terse message; this names the construct.
   */
  static String refusedConstruct(String source) {
    boolean inClass = false;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '\\') {
        if (i + 1 < source.length() && !inClass) {
          char next = source.charAt(i + 1);
          if (next >= '1' && next <= '9' || next == 'k' && source.startsWith("<", i + 2)) {
            return "a backreference (\\" + next + ")";
          }
        }
        i++;
        continue;
      }
      if (inClass) {
        inClass = c != ']';
        continue;
      }
      if (c == '[') {
        inClass = true;
        if (source.startsWith("]", i + 1)) {
          i++;
        } else if (source.startsWith("^]", i + 1)) {
          i += 2;
        }
        continue;
      }
      if (c == '(' && source.startsWith("?", i + 1)) {
        if (source.startsWith("?=", i + 1) || source.startsWith("?!", i + 1)) {
          return "lookahead (" + source.substring(i, i + 3) + ")";
        }
        if (source.startsWith("?<=", i + 1) || source.startsWith("?<!", i + 1)) {
          return "lookbehind (" + source.substring(i, i + 4) + ")";
        }
        if (source.startsWith("?>", i + 1)) {
          return "an atomic group ((?>)";
        }
      }
      if ((c == '+' || c == '*' || c == '?' || c == '}')
          && source.startsWith("+", i + 1)
          && i > 0) {
        return "a possessive quantifier (" + c + "+)";
      }
    }
    return null;
  }
}
