package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.LineClassifier;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches lines against a rule catalog. Immutable and thread-safe.
 *
 * <p>Design: every rule names literals, one of which a matching line must contain. One Aho-Corasick
 * pass over the line finds which literals occur; only the rules owning them (and the few rules
 * without literals) run their expressions. Most lines of a training log contain no literal at all
 * and never reach an expression.
 *
 * <p>Cost contract: the work for one line is linear in its length, whatever it holds. The literal
 * pass is one table lookup per character; each candidate expression runs in an automaton engine
 * that never backtracks ({@link RulePattern}); a line is matched on its first {@value
 * #MAX_MATCHED_CHARS} characters only. So a user who prints crafted lines can slow the diagnosis of
 * their own output by at most a constant per character, and never by the square of a line.
 *
 * <p>Which rule wins: the rules of a real cause are tried in priority order and the first that
 * matches is the candidate. Rules of cause BENIGN exist to say that a line another rule matches is
 * harmless after all, so they are tried only then, and only those ranked above the candidate: when
 * one of them matches, the line is harmless for every rule ranked below it but those that need
 * several lines ({@link dev.ajr.core.detect.Repeat}: lines harmless one at a time), which are still
 * tried; the BENIGN match is the answer when none of them matches. A line no rule of a real cause
 * matches is never reported as benign, and harmless chatter costs no expression at all.
 */
public final class RuleEngine implements LineClassifier {

  /** Lines longer than this are matched on their first part only, so cost stays bounded. */
  static final int MAX_MATCHED_CHARS = 8 * 1024;

  /** Scratch space of one thread: which literals the current line holds. */
  private static final ThreadLocal<BitSet> HITS = ThreadLocal.withInitial(BitSet::new);

  /** Scratch space of one thread: which rules own a literal of the current line. */
  private static final ThreadLocal<BitSet> CANDIDATES = ThreadLocal.withInitial(BitSet::new);

  private final List<Rule> rules;
  private final AhoCorasick literals;
  private final int[][] rulesOfLiteral;
  private final int[] alwaysRun;

  /** The literals owned by at least one rule of a real cause (not BENIGN). */
  private final BitSet realCauseLiterals = new BitSet();

  /** Whether a rule of a real cause has no literals, so that any line may match it. */
  private final boolean realCauseOnEveryLine;

  public RuleEngine(List<Rule> catalog) {
    List<Rule> ordered = new ArrayList<>(catalog);
    ordered.sort(Comparator.comparingInt(Rule::priority).reversed());
    this.rules = List.copyOf(ordered);
    Map<String, Integer> literalIds = new HashMap<>();
    List<String> literalList = new ArrayList<>();
    List<List<Integer>> owners = new ArrayList<>();
    List<Integer> always = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      if (rule.literals().isEmpty()) {
        always.add(r);
      }
      for (String literal : rule.literals()) {
        Integer id = literalIds.get(literal);
        if (id == null) {
          id = literalList.size();
          literalIds.put(literal, id);
          literalList.add(literal);
          owners.add(new ArrayList<>());
        }
        owners.get(id).add(r);
        if (!rule.marksHarmless()) {
          realCauseLiterals.set(id);
        }
      }
    }
    this.literals = new AhoCorasick(literalList);
    this.rulesOfLiteral = new int[owners.size()][];
    for (int i = 0; i < owners.size(); i++) {
      rulesOfLiteral[i] = owners.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    this.alwaysRun = always.stream().mapToInt(Integer::intValue).toArray();
    this.realCauseOnEveryLine = always.stream().anyMatch(r -> !rules.get(r).marksHarmless());
  }

  public List<Rule> rules() {
    return rules;
  }

  /**
   * The rule matching the line: the first rule of a real cause in priority order that matches and
   * that no BENIGN rule ranked above it clears (see the class comment); the clearing BENIGN rule
   * when there is none; empty when no rule of a real cause matches.
   */
  public Optional<RuleMatch> match(CharSequence line) {
    CharSequence text = matchedPart(line);
    BitSet literalHits = HITS.get();
    literalHits.clear();
    literals.find(text, literalHits);
    if (literalHits.isEmpty() && alwaysRun.length == 0 || looksBinary(text)) {
      return Optional.empty();
    }
    BitSet candidates = CANDIDATES.get();
    candidates.clear();
    for (int l = literalHits.nextSetBit(0); l >= 0; l = literalHits.nextSetBit(l + 1)) {
      for (int r : rulesOfLiteral[l]) {
        candidates.set(r);
      }
    }
    for (int r : alwaysRun) {
      candidates.set(r);
    }
    Optional<RuleMatch> cleared = Optional.empty();
    for (int r = candidates.nextSetBit(0); r >= 0; r = candidates.nextSetBit(r + 1)) {
      Rule rule = rules.get(r);
      if (rule.marksHarmless()) {
        continue;
      }
      Optional<RuleMatch> failure = matchRule(rule, text);
      if (failure.isEmpty()) {
        continue;
      }
      if (!rule.repeat().once()) {
        // lines that are harmless one at a time and a failure when they keep coming
        return failure;
      }
      Optional<RuleMatch> harmless = harmlessAbove(r, candidates, text);
      if (harmless.isEmpty()) {
        return failure;
      }
      cleared = harmless;
    }
    return cleared;
  }

  /** The first BENIGN candidate ranked above rule {@code r} that matches, if any. */
  private Optional<RuleMatch> harmlessAbove(int r, BitSet candidates, CharSequence text) {
    for (int b = candidates.nextSetBit(0); b >= 0 && b < r; b = candidates.nextSetBit(b + 1)) {
      Rule shadow = rules.get(b);
      if (shadow.marksHarmless()) {
        Optional<RuleMatch> harmless = matchRule(shadow, text);
        if (harmless.isPresent()) {
          return harmless;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a line, given as UTF-8 bytes, may match a rule of a real cause: false means {@link
   * #match} of the decoded line is surely empty, so the line need not be decoded at all. The scan
   * covers as many bytes as {@link #MAX_MATCHED_CHARS} characters can take.
   */
  public boolean mayMatch(byte[] bytes, int offset, int length) {
    return realCauseOnEveryLine
        || literals.findAny(
            bytes, offset, Math.min(length, 4 * MAX_MATCHED_CHARS), realCauseLiterals);
  }

  /**
   * Whether {@code rule} on its own matches the line: it contains one of the rule's literals (or
   * the rule has none) and one of its expressions matches. For checking a rule's examples.
   */
  public static boolean matchesAlone(Rule rule, String line) {
    CharSequence text = matchedPart(line);
    if (looksBinary(text)) {
      return false;
    }
    if (!rule.literals().isEmpty()
        && rule.literals().stream().noneMatch(literal -> containsIgnoringCase(text, literal))) {
      return false;
    }
    return matchRule(rule, text).isPresent();
  }

  /** Whether {@code text} contains the lowercase ASCII {@code literal}, ASCII case ignored. */
  private static boolean containsIgnoringCase(CharSequence text, String literal) {
    String line = text.toString();
    for (int at = 0; at + literal.length() <= line.length(); at++) {
      if (line.regionMatches(true, at, literal, 0, literal.length())) {
        return true;
      }
    }
    return false;
  }

  private static CharSequence matchedPart(CharSequence line) {
    return line.length() > MAX_MATCHED_CHARS ? line.subSequence(0, MAX_MATCHED_CHARS) : line;
  }

  private static Optional<RuleMatch> matchRule(Rule rule, CharSequence text) {
    for (RulePattern pattern : rule.patterns()) {
      Map<String, String> groups = pattern.firstMatch(text);
      if (groups != null) {
        for (RulePattern veto : rule.unless()) {
          if (veto.find(text)) {
            return Optional.empty();
          }
        }
        return Optional.of(
            new RuleMatch(
                rule,
                groups.get("node"),
                groups.get("pci"),
                groups.get("gpu"),
                rank(groups.get("rank"))));
      }
    }
    return Optional.empty();
  }

  /** For the live pipeline: a line that matches a non-benign rule. */
  @Override
  public Optional<Detection> classify(String line) {
    return match(line)
        .filter(m -> !m.rule().benign())
        .map(m ->
            new Detection(
                m.rule().id(),
                m.rule().type(),
                m.rule().cause(),
                m.rule().action(),
                m.node() != null ? m.node() : LineOrigin.of(line).host(),
                m.rule().cascade(),
                m.rule().charged(),
                m.rule().repeat()));
  }

  /**
   * True for binary garbage decoded as text (many replacement or control characters): a short
   * literal such as {@code EIO} turns up in random bytes, and such a line is no log line.
   */
  static boolean looksBinary(CharSequence text) {
    int n = Math.min(text.length(), 512);
    int odd = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD' || c < 0x20 && c != '\t' && c != 0x1b) {
        odd++;
      }
    }
    return n > 0 && odd * 10 > n;
  }

  private static Integer rank(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
