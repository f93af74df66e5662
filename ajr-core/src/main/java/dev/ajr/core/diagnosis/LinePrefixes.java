package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.NodeNames;
import java.util.Locale;

/**
 * Reads the prefixes at the start of one line, for {@link LineOrigin}: a hand-written scanner,
 * anchored at the start of each prefix, that reads only {@code text[0, end)} and every character
 * there a bounded number of times. Not thread-safe: one instance per line.
 */
final class LinePrefixes {

  /** At most this many prefixes are read in front of a line. */
  private static final int MAX_PREFIXES = 8;

  private static final int MAX_DIGITS = 10;

  /** How far after NCCL's {@code [gpu]} its {@code NCCL INFO} or {@code NCCL WARN} may start. */
  private static final int NCCL_MARKER_REACH = 96;

  /** Words that start program and device names printed as {@code word: }, never a host's. */
  private static final String[] NOT_HOSTS = {
    "nvidia", "python", "cuda", "nccl", "mlx", "torch", "epoch", "step", "iter", "layer"
  };

  private static final String[] LOG_LEVELS = {
    "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL"
  };

  /** Network interfaces and block devices printed as {@code eth0: }: a prefix, then a digit. */
  private static final String[] DEVICE_PREFIXES = {"eth", "ib", "bond", "en", "nvme", "sd", "md"};

  private final CharSequence text;
  private final int end;
  private Integer rank;
  private String host;

  LinePrefixes(CharSequence text, int end) {
    this.text = text;
    this.end = end;
  }

  LineOrigin origin() {
    int pos = skipSpaces(0);
    for (int i = 0; i < MAX_PREFIXES && pos < end; i++) {
      int next = prefix(pos, i == 0);
      if (next < 0) {
        break;
      }
      pos = skipSpaces(next);
    }
    if (host == null) {
      ncclHostAnywhere();
    }
    return rank == null && host == null ? LineOrigin.UNKNOWN : new LineOrigin(rank, host);
  }

  /** Reads the prefix at {@code p}; returns where the next one may start, or -1 if none is. */
  private int prefix(int p, boolean first) {
    if (at(p) == '[') {
      return bracketed(p);
    }
    int next = isoTimestamp(p);
    if (next >= 0) {
      return next;
    }
    next = syslogTimestamp(p);
    if (next >= 0) {
      return next;
    }
    next = label(p);
    if (next >= 0) {
      return next;
    }
    return hostPrefix(p, first);
  }

  // ---- [ ... ] prefixes

  private int bracketed(int p) {
    int next = rankTag(p, "[rank");
    if (next < 0) {
      next = rankTag(p, "[default");
    }
    if (next < 0) {
      next = openMpiTag(p);
    }
    if (next < 0) {
      next = kernelTimestamp(p);
    }
    if (next < 0) {
      next = bracketedPid(p);
    }
    if (next < 0) {
      next = dateTimestamp(p);
    }
    if (next < 0) {
      next = bracketedHost(p);
    }
    return next;
  }

  /** {@code [rank3]:} or {@code [default3]:}. */
  private int rankTag(int p, String open) {
    if (!startsWith(p, open)) {
      return -1;
    }
    int digits = p + open.length();
    int after = digitsEnd(digits);
    if (after == digits || at(after) != ']' || at(after + 1) != ':') {
      return -1;
    }
    setRank(digits, after);
    return after + 2;
  }

  /** Open MPI's {@code [1,3]<stderr>:}. */
  private int openMpiTag(int p) {
    int job = digitsEnd(p + 1);
    if (job == p + 1 || at(job) != ',') {
      return -1;
    }
    int rankEnd = digitsEnd(job + 1);
    if (rankEnd == job + 1 || at(rankEnd) != ']') {
      return -1;
    }
    int tag = rankEnd + 1;
    int after;
    if (startsWith(tag, "<stdout>:")) {
      after = tag + "<stdout>:".length();
    } else if (startsWith(tag, "<stderr>:")) {
      after = tag + "<stderr>:".length();
    } else {
      return -1;
    }
    setRank(job + 1, rankEnd);
    return after;
  }

  /** {@code [ 1234.567890]} (dmesg) or {@code [1700000000.123456]} (UCX). */
  private int kernelTimestamp(int p) {
    int q = p + 1;
    while (q < end && q - p < 8 && at(q) == ' ') {
      q++;
    }
    int whole = digitsEnd(q);
    if (whole == q || at(whole) != '.') {
      return -1;
    }
    int fraction = digitsEnd(whole + 1);
    if (fraction == whole + 1 || at(fraction) != ']') {
      return -1;
    }
    return fraction + 1;
  }

  /** A process id: {@code [80746] } or {@code [80746]:}. */
  private int bracketedPid(int p) {
    int after = digitsEnd(p + 1);
    if (after == p + 1 || at(after) != ']') {
      return -1;
    }
    char next = at(after + 1);
    if (next == ':') {
      return after + 2;
    }
    return next == ' ' ? after + 1 : -1;
  }

  /**
   * {@code dmesg -T}'s {@code [Tue Nov 27 10:00:00 2024]}: a three-letter day, a space, then
   * letters, digits, spaces and {@code :} (a time).
   */
  private int dateTimestamp(int p) {
    if (!isLetter(at(p + 1)) || !isLetter(at(p + 2)) || !isLetter(at(p + 3)) || at(p + 4) != ' ') {
      return -1;
    }
    boolean colon = false;
    for (int q = p + 5; q < end && q - p <= 32; q++) {
      char c = at(q);
      if (c == ']') {
        return colon ? q + 1 : -1;
      }
      if (c == ':') {
        colon = true;
      } else if (!isLetter(c) && !isDigit(c) && c != ' ') {
        return -1;
      }
    }
    return -1;
  }

  /** {@code [host:pid]}, {@code [host:pid:thread]} or {@code [host:pid:thread:tid]}. */
  private int bracketedHost(int p) {
    int nameEnd = nameEnd(p + 1);
    if (nameEnd < 0 || at(nameEnd) != ':' || allDigits(p + 1, nameEnd)) {
      return -1;
    }
    int pid = digitsEnd(nameEnd + 1);
    if (pid == nameEnd + 1) {
      return -1;
    }
    int q = pid;
    for (int fields = 0; at(q) == ':' && fields < 3; fields++) {
      int fieldEnd = q + 1;
      while (fieldEnd < end && fieldEnd - q <= 16 && isLetterOrDigit(at(fieldEnd))) {
        fieldEnd++;
      }
      if (fieldEnd == q + 1) {
        return -1;
      }
      q = fieldEnd;
    }
    if (at(q) != ']') {
      return -1;
    }
    setHost(p + 1, nameEnd);
    return at(q + 1) == ':' ? q + 2 : q + 1;
  }

  // ---- timestamps

  /**
   * {@code 2019-06-02T16:13:44.884Z}, {@code 2024-11-27 10:00:00,123}, optionally followed by
   * {@code :}; after a timestamp with a {@code T} and a numeric time zone (a journal's short-iso or
   * RFC 3339 syslog form), the syslog host field.
   */
  private int isoTimestamp(int p) {
    if (!digitsAt(p, 4)
        || at(p + 4) != '-'
        || !digitsAt(p + 5, 2)
        || at(p + 7) != '-'
        || !digitsAt(p + 8, 2)) {
      return -1;
    }
    char separator = at(p + 10);
    if (separator != 'T' && separator != ' ') {
      return -1;
    }
    int q = time(p + 11);
    if (q < 0) {
      return -1;
    }
    if (at(q) == '.' || at(q) == ',') {
      int fraction = digitsEnd(q + 1);
      if (fraction == q + 1) {
        return -1;
      }
      q = fraction;
    }
    boolean numericZone = false;
    if (at(q) == 'Z') {
      q++;
    } else if ((at(q) == '+' || at(q) == '-') && digitsAt(q + 1, 2)) {
      numericZone = true;
      q += 3;
      if (at(q) == ':') {
        q++;
      }
      if (!digitsAt(q, 2)) {
        return -1;
      }
      q += 2;
    }
    if (at(q) == ':') {
      q++;
    }
    if (q < end && at(q) != ' ') {
      return -1;
    }
    return separator == 'T' && numericZone ? syslogHost(q) : q;
  }

  /** A syslog or journal timestamp, {@code Nov 27 10:00:00}, then the host field if any. */
  private int syslogTimestamp(int p) {
    if (!isUpper(at(p)) || !isLower(at(p + 1)) || !isLower(at(p + 2)) || at(p + 3) != ' ') {
      return -1;
    }
    int day = at(p + 4) == ' ' ? p + 5 : p + 4;
    int dayEnd = digitsEnd(day);
    if (dayEnd == day || dayEnd - day > 2 || at(dayEnd) != ' ') {
      return -1;
    }
    int q = time(dayEnd + 1);
    if (q < 0 || at(q) != ' ') {
      return -1;
    }
    return syslogHost(q);
  }

  /** {@code HH:MM:SS} at {@code p}; returns its end, or -1. */
  private int time(int p) {
    boolean ok =
        digitsAt(p, 2)
            && at(p + 2) == ':'
            && digitsAt(p + 3, 2)
            && at(p + 5) == ':'
            && digitsAt(p + 6, 2);
    return ok ? p + 8 : -1;
  }

  /**
   * After a syslog timestamp: {@code host tag: } or {@code host tag[pid]: } names the host; a line
   * whose first field is already the tag ({@code kernel: }) names none.
   */
  private int syslogHost(int p) {
    int q = skipSpaces(p);
    int nameEnd = nameEnd(q);
    if (nameEnd < 0 || at(nameEnd) != ' ') {
      return q;
    }
    int tag = nameEnd + 1;
    int tagEnd = tag;
    while (tagEnd < end && tagEnd - tag <= 64 && isTagChar(at(tagEnd))) {
      tagEnd++;
    }
    if (tagEnd == tag || !isLetter(at(tag))) {
      return q;
    }
    if (at(tagEnd) == '[') {
      int pid = digitsEnd(tagEnd + 1);
      if (pid == tagEnd + 1 || at(pid) != ']') {
        return q;
      }
      tagEnd = pid + 1;
    }
    if (at(tagEnd) != ':' || (tagEnd + 1 < end && at(tagEnd + 1) != ' ')) {
      return q;
    }
    if (isLogLevel(q, nameEnd)) {
      return q;
    }
    setHost(q, nameEnd);
    return tagEnd + 1;
  }

  // ---- host: and number: prefixes

  /**
   * NCCL's {@code host:pid:tid [gpu] }, a torchrun template's {@code host:rank: }, {@code
   * slurmstepd-host: } and, as the first prefix, pdsh's {@code node017: } and a syslog line without
   * its timestamp, {@code gpu-node-3 kernel: }.
   */
  private int hostPrefix(int p, boolean first) {
    if (!isLetterOrDigit(at(p))) {
      return -1;
    }
    if (startsWith(p, "slurmstepd-")) {
      int nameStart = p + "slurmstepd-".length();
      int nameEnd = nameEnd(nameStart);
      if (nameEnd > 0 && at(nameEnd) == ':' && at(nameEnd + 1) == ' ') {
        setHost(nameStart, nameEnd);
        return nameEnd + 2;
      }
      return -1;
    }
    int nameEnd = nameEnd(p);
    if (nameEnd < 0) {
      return -1;
    }
    if (first
        && at(nameEnd) == ' '
        && startsWith(nameEnd + 1, "kernel: ")
        && looksLikeNodeName(p, nameEnd)) {
      setHost(p, nameEnd); // a syslog line whose timestamp was left out
      return nameEnd + 1 + "kernel: ".length();
    }
    if (at(nameEnd) != ':') {
      return -1;
    }
    int next = ncclPrefix(p, nameEnd);
    if (next >= 0) {
      return next;
    }
    int number = digitsEnd(nameEnd + 1);
    if (number > nameEnd + 1
        && at(number) == ':'
        && at(number + 1) == ' '
        && looksLikeNodeName(p, nameEnd)) {
      setHost(p, nameEnd);
      setRank(nameEnd + 1, number);
      return number + 2;
    }
    if (first && at(nameEnd + 1) == ' ') {
      if (isIpAddress(p, nameEnd)) {
        return nameEnd + 2; // a launcher's address, not a node name
      }
      if (looksLikeNodeName(p, nameEnd)) {
        setHost(p, nameEnd);
        return nameEnd + 2;
      }
    }
    return -1;
  }

  /** NCCL's {@code host:pid:tid [gpu] } with the host {@code text[p, nameEnd)}. */
  private int ncclPrefix(int p, int nameEnd) {
    int pid = digitsEnd(nameEnd + 1);
    if (pid == nameEnd + 1 || at(pid) != ':') {
      return -1;
    }
    int tid = digitsEnd(pid + 1);
    if (tid == pid + 1 || at(tid) != ' ' || at(tid + 1) != '[') {
      return -1;
    }
    int gpu = digitsEnd(tid + 2);
    if (gpu == tid + 2 || at(gpu) != ']' || allDigits(p, nameEnd) || !ncclFollows(gpu + 1)) {
      return -1;
    }
    setHost(p, nameEnd);
    return gpu + 1;
  }

  /** {@code srun --label}'s {@code 3: } and {@code Rank3: }. */
  private int label(int p) {
    int digits = p;
    if (startsWith(p, "Rank") || startsWith(p, "rank")) {
      digits = p + 4;
    }
    int after = digitsEnd(digits);
    if (after == digits || after - digits > 6 || at(after) != ':' || at(after + 1) != ' ') {
      return -1;
    }
    setRank(digits, after);
    return after + 2;
  }

  /**
   * Whether the word of a {@code word: }, {@code word:3: } or {@code word kernel: } prefix is a
   * host's name (pdsh, DeepSpeed, clush, a torchrun template) and not a program's: it starts with a
   * letter, holds a digit and no {@code _}, and is none of the program and device names printed
   * that way.
   */
  private boolean looksLikeNodeName(int from, int to) {
    if (!isLetter(at(from))) {
      return false;
    }
    boolean digit = false;
    for (int i = from; i < to; i++) {
      char c = at(i);
      if (c == '_') {
        return false;
      }
      digit |= isDigit(c);
    }
    if (!digit) {
      return false;
    }
    String word = text.subSequence(from, to).toString().toLowerCase(Locale.ROOT);
    for (String program : NOT_HOSTS) {
      if (word.startsWith(program)) {
        return false;
      }
    }
    for (String device : DEVICE_PREFIXES) {
      if (word.startsWith(device) && word.length() > device.length()) {
        if (isDigit(word.charAt(device.length()))) {
          return false;
        }
      }
    }
    return true;
  }

  // ---- NCCL's prefix after an unknown prefix

  /**
   * Looks for {@code host:pid:tid [gpu] } anywhere in the window, the host preceded by the start, a
   * space, {@code :}, {@code ]}, {@code >} or {@code |}: each {@code [} is checked with a bounded
   * look back.
   */
  private void ncclHostAnywhere() {
    for (int i = 2; i < end; i++) {
      if (at(i) != '[' || at(i - 1) != ' ') {
        continue;
      }
      int gpu = digitsEnd(i + 1);
      if (gpu == i + 1 || at(gpu) != ']' || !ncclFollows(gpu + 1)) {
        continue;
      }
      int tidStart = digitsStart(i - 1);
      if (tidStart == i - 1 || at(tidStart - 1) != ':') {
        continue;
      }
      int pidEnd = tidStart - 1;
      int pidStart = digitsStart(pidEnd);
      if (pidStart == pidEnd || at(pidStart - 1) != ':') {
        continue;
      }
      int nameEnd = pidStart - 1;
      int nameStart = nameEnd;
      while (nameStart > 0
          && nameEnd - nameStart <= NodeNames.MAX_LENGTH
          && NodeNames.isNameChar(at(nameStart - 1))) {
        nameStart--;
      }
      char before = nameStart == 0 ? ' ' : at(nameStart - 1);
      boolean boundary =
          before == ' ' || before == ':' || before == ']' || before == '>' || before == '|';
      if (boundary
          && NodeNames.hasShape(text, nameStart, nameEnd)
          && !allDigits(nameStart, nameEnd)) {
        setHost(nameStart, nameEnd);
        return;
      }
    }
  }

  /**
   * Whether {@code NCCL} (NCCL's {@code NCCL INFO}, {@code NCCL WARN}) starts within {@value
   * #NCCL_MARKER_REACH} characters of {@code p}, as after the prefix of each of NCCL's lines.
   */
  private boolean ncclFollows(int p) {
    int last = Math.min(end - 4, p + NCCL_MARKER_REACH);
    for (int q = p; q <= last; q++) {
      if (at(q) == 'N' && at(q + 1) == 'C' && at(q + 2) == 'C' && at(q + 3) == 'L') {
        return true;
      }
    }
    return false;
  }

  // ---- effects

  private void setRank(int from, int to) {
    if (rank == null && to - from <= 6) {
      rank = Integer.valueOf(text.subSequence(from, to).toString());
    }
  }

  /** The outermost prefix's host wins: a launcher's name for the node beats a library's. */
  private void setHost(int from, int to) {
    if (host == null && NodeNames.hasShape(text, from, to)) {
      host = text.subSequence(from, to).toString();
    }
  }

  // ---- scanning

  private char at(int i) {
    return i >= 0 && i < end ? text.charAt(i) : '\0';
  }

  private boolean startsWith(int p, String s) {
    if (p + s.length() > end) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (text.charAt(p + i) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int skipSpaces(int p) {
    int q = p;
    while (q < end && (at(q) == ' ' || at(q) == '\t')) {
      q++;
    }
    return q;
  }

  /** The end of the digits at {@code p} (at most {@value #MAX_DIGITS}); {@code p} if none. */
  private int digitsEnd(int p) {
    int q = p;
    while (q < end && q - p < MAX_DIGITS && isDigit(at(q))) {
      q++;
    }
    return q < end && q - p == MAX_DIGITS && isDigit(at(q)) ? p : q;
  }

  /** The start of the digits that end at {@code to} (at most {@value #MAX_DIGITS}). */
  private int digitsStart(int to) {
    int q = to;
    while (q > 0 && to - q < MAX_DIGITS && isDigit(at(q - 1))) {
      q--;
    }
    return q;
  }

  private boolean digitsAt(int p, int count) {
    for (int i = 0; i < count; i++) {
      if (!isDigit(at(p + i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The end of a node-name-shaped word at {@code p}, or -1 when there is none or it is longer than
   * a node name may be.
   */
  private int nameEnd(int p) {
    if (!isLetterOrDigit(at(p))) {
      return -1;
    }
    int q = p + 1;
    while (q < end && NodeNames.isNameChar(at(q))) {
      if (q - p >= NodeNames.MAX_LENGTH) {
        return -1;
      }
      q++;
    }
    return q;
  }

  private boolean allDigits(int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isDigit(at(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code INFO}, {@code ERROR}...: a logger's level where a syslog line has its host. */
  private boolean isLogLevel(int from, int to) {
    String word = text.subSequence(from, to).toString().toUpperCase(Locale.ROOT);
    for (String level : LOG_LEVELS) {
      if (word.equals(level)) {
        return true;
      }
    }
    return false;
  }

  /** Four dot-separated numbers. */
  private boolean isIpAddress(int from, int to) {
    int dots = 0;
    for (int i = from; i < to; i++) {
      char c = at(i);
      if (c == '.') {
        dots++;
      } else if (!isDigit(c)) {
        return false;
      }
    }
    return dots == 3;
  }

  private static boolean isTagChar(char c) {
    return NodeNames.isNameChar(c) || c == '/';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isLetter(char c) {
    return isUpper(c) || isLower(c);
  }

  private static boolean isLetterOrDigit(char c) {
    return isLetter(c) || isDigit(c);
  }
}
