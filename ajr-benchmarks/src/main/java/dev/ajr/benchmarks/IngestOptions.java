package dev.ajr.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@link IngestLatency}, parsed from {@code --name value} pairs; a yes/no option
 * ({@code --notifications}, {@code --hostile}) given without {@code true} or {@code false} after it
 * means true.
 *
 * @param files the jobs followed, each with one output file
 * @param rate the lines written a second to them, all together
 * @param seconds how long is measured, after the warm-up
 * @param warmup how long the writers run before the measurement starts
 * @param dirs the working directories the files are spread over
 * @param faultEvery one line in about this many is a fault line
 * @param notifications whether the follower uses file-system notifications
 * @param hostile whether one more job writes {@link HostileOutput} as fast as it can
 * @param hostileMaxMegabytes the hostile job's file is deleted and written anew once it holds this
 *     many MiB
 */
record IngestOptions(
    int files,
    int rate,
    int seconds,
    int warmup,
    int dirs,
    int faultEvery,
    boolean notifications,
    boolean hostile,
    int hostileMaxMegabytes) {

  static final String USAGE =
      "usage: IngestLatency [--files 1000] [--rate 10000] [--seconds 60] [--warmup 15] [--dirs 100]"
          + " [--fault-every 1000] [--notifications true|false] [--hostile [true|false]]"
          + " [--hostile-max-mb 1024]";

  private static final List<String> YES_NO = List.of("notifications", "hostile");
  private static final Map<String, String> NUMBERS =
      Map.of(
          "files", "1000",
          "rate", "10000",
          "seconds", "60",
          "warmup", "15",
          "dirs", "100",
          "fault-every", "1000",
          "hostile-max-mb", "1024");

  /**
   * @throws IllegalArgumentException with a message for the user when an option is unknown, lacks
   *     its value or has one that does not fit
   */
  static IngestOptions parse(String... args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("expected an option such as --files, not " + arg);
      }
      String name = arg.substring(2);
      boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
      if (YES_NO.contains(name)) {
        String value = hasValue ? args[++i] : "true";
        if (!value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException(
              "--" + name + " is true or false (or alone, for true), not " + value);
        }
        given.put(name, value);
      } else if (NUMBERS.containsKey(name)) {
        if (!hasValue) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        given.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new IngestOptions(
        positive(given, "files"),
        positive(given, "rate"),
        positive(given, "seconds"),
        atLeastZero(given, "warmup"),
        positive(given, "dirs"),
        positive(given, "fault-every"),
        Boolean.parseBoolean(given.getOrDefault("notifications", "true")),
        Boolean.parseBoolean(given.getOrDefault("hostile", "false")),
        positive(given, "hostile-max-mb"));
  }

  private static int positive(Map<String, String> given, String name) {
    int n = number(given, name);
    if (n < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1, not " + n);
    }
    return n;
  }

  private static int atLeastZero(Map<String, String> given, String name) {
    int n = number(given, name);
    if (n < 0) {
      throw new IllegalArgumentException("--" + name + " must not be negative, not " + n);
    }
    return n;
  }

  private static int number(Map<String, String> given, String name) {
    String value = given.getOrDefault(name, NUMBERS.get(name));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " is a whole number, not " + value, e);
    }
  }
}
