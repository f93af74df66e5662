package dev.ajr.core.diagnosis;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One regular expression of a rule, matched in time linear in the line whatever the line holds.
 *
 * <p>Design: the expression is compiled twice. RE2J, an automaton engine after Google's RE2 that
 * never backtracks, is the reference: the work to match a line is bounded by the line's length
 * times the size of the compiled expression. It is slow, though (it simulates the automaton state
 * by state), so each line first goes to {@code java.util.regex}, which is fast on ordinary lines,
 * on a budget: it may read at most {@value #READS_PER_CHAR} characters per character of the line
 * (plus a constant). A line that exhausts the budget (one built to make a backtracking engine go
 * quadratic) or the backtracking engine's stack is matched again by RE2J. Either way the work is
 * linear in the line. Before both, the text that every match must contain ({@link RequiredText}) is
 * searched for, which rejects most lines without running an engine at all.
 *
 * <p>The price is that constructs only a backtracking engine can run are refused when the rule
 * loads: lookahead and lookbehind, backreferences, possessive quantifiers and atomic groups.
 * Everything else rules use is the same in both engines: {@code (?i)}, {@code (?:...)}, named
 * groups {@code (?<name>...)}, {@code \b}, {@code \d}, {@code \s}, {@code \w}, classes and
 * alternation. An expression whose two compilations could disagree (POSIX classes such as {@code
 * [[:alpha:]]}, which {@code java.util.regex} reads as plain characters, or syntax only RE2 has) is
 * matched by RE2J alone.
 *
 * <p>Immutable and thread-safe.
 */
public final class RulePattern {

  /** How many characters the fast engine may read per character of the line. */
  static final int READS_PER_CHAR = 32;

  /** Reads the fast engine may always make, however short the line. */
  static final int READS_ALWAYS = 1024;

  private final String source;
  private final Pattern compiled;
  private final java.util.regex.Pattern fast;
  private final List<String> groupNames;

  /** Text every match contains, searched for before the expression runs; null if none is known. */
  private final RequiredText required;

  private RulePattern(String source, Pattern compiled) {
    this.source = source;
    this.compiled = compiled;
    this.groupNames = List.copyOf(compiled.namedGroups().keySet());
    this.required = RequiredText.of(source);
    this.fast = fastCompilation(source);
  }

  /**
   * Compiles an expression.
   *
   * @throws IllegalArgumentException saying what is wrong, and for a construct that cannot run in
   *     linear time, which one and why it is refused
   */
  public static RulePattern compile(String source) {
    Pattern compiled;
    try {
      compiled = Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      String refused = refusedConstruct(e);
      if (refused != null) {
        throw new IllegalArgumentException(
            "pattern "
                + source
                + " uses "
                + refused
                + ", which only a backtracking engine can run and which can take time growing with"
                + " the square of the line or worse; rules are matched in linear time: rewrite it"
                + " without",
            e);
      }
      throw new IllegalArgumentException(
          "pattern " + source + " does not compile: " + e.getDescription(), e);
    }
    return new RulePattern(source, compiled);
  }

  /** The expression as written in the rule. */
  public String source() {
    return source;
  }

  /** True when the expression has a named group {@code name}. */
  public boolean hasGroup(String name) {
    return groupNames.contains(name);
  }

  /** Whether the expression matches somewhere in {@code text}. */
  public boolean find(CharSequence text) {
    return firstMatch(text) != null;
  }

  /**
   * The named groups of the first match in {@code text} (a group that took part in no match maps to
   * nothing), or null when there is none.
   */
  public Map<String, String> firstMatch(CharSequence text) {
    if (required != null && !required.in(text)) {
      return null;
    }
    if (fast != null) {
      BudgetedText budgeted =
          new BudgetedText(text, READS_ALWAYS + (long) READS_PER_CHAR * text.length());
      try {
        java.util.regex.Matcher m = fast.matcher(budgeted);
        if (!m.find()) {
          return null;
        }
        return groups(m::group);
      } catch (BudgetedText.Exhausted | StackOverflowError e) {
        // a line built to make the backtracking engine work: the automaton engine decides
      }
    }
    Matcher m = compiled.matcher(text);
    return m.find() ? groups(m::group) : null;
  }

  private Map<String, String> groups(java.util.function.Function<String, String> group) {
    if (groupNames.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    for (String name : groupNames) {
      String value = group.apply(name);
      if (value != null) {
        values.put(name, value);
      }
    }
    return values;
  }

  /**
   * The expression compiled by {@code java.util.regex}, or null when that engine could read it
   * differently from RE2J: POSIX classes, syntax only RE2 has, or a compile error.
   */
  private static java.util.regex.Pattern fastCompilation(String source) {
    if (source.contains("[:") || source.contains("(?P<") || source.contains("\\C")) {
      return null;
    }
    try {
      return java.util.regex.Pattern.compile(source);
    } catch (java.util.regex.PatternSyntaxException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * The construct RE2J refused, named for a person, when it is one that needs backtracking; null
   * for any other syntax error. RE2J names the offending text; its own words are terse.
   */
  static String refusedConstruct(PatternSyntaxException e) {
    String text = e.getPattern();
    if (text.startsWith("(?=") || text.startsWith("(?!")) {
      return "lookahead (" + text.substring(0, 3) + ")";
    }
    if (text.startsWith("(?<=") || text.startsWith("(?<!")) {
      return "lookbehind (" + text.substring(0, 4) + ")";
    }
    if (text.startsWith("(?>")) {
      return "an atomic group ((?>)";
    }
    if (text.matches("\\\\[1-9k].*")) {
      return "a backreference (" + text + ")";
    }
    if (e.getDescription().contains("nested repetition") && text.endsWith("+")) {
      return "a possessive quantifier (" + text + ")";
    }
    return null;
  }
}
