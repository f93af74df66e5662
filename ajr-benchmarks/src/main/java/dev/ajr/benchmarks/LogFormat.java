package dev.ajr.benchmarks;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Number and time formats of training logs, without {@code String.format} (the generators write
 * gigabytes). Pure.
 */
final class LogFormat {

  private static final long[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private LogFormat() {}

  /** {@code value} with {@code decimals} digits after the point, as {@code %.Nf} (N ≤ 9). */
  static String fixed(double value, int decimals) {
    long scaled = Math.round(Math.abs(value) * POWERS[decimals]);
    String sign = value < 0 && scaled != 0 ? "-" : "";
    if (decimals == 0) {
      return sign + scaled;
    }
    long whole = scaled / POWERS[decimals];
    String fraction = Long.toString(scaled % POWERS[decimals]);
    return sign + whole + "." + "0".repeat(decimals - fraction.length()) + fraction;
  }

  /** {@code value} as Python's and Megatron's {@code %E}: {@code 2.314567E+00}. */
  static String sci(double value) {
    return sci(value, 6);
  }

  /** {@code value} in scientific notation with {@code decimals} digits: {@code 1.499E-04}. */
  static String sci(double value, int decimals) {
    if (value == 0) {
      return fixed(0, decimals) + "E+00";
    }
    double magnitude = Math.abs(value);
    int exponent = (int) Math.floor(Math.log10(magnitude));
    double mantissa = magnitude / Math.pow(10, exponent);
    if (Math.round(mantissa * POWERS[decimals]) >= 10 * POWERS[decimals]) {
      mantissa /= 10;
      exponent++;
    }
    String e = Integer.toString(Math.abs(exponent));
    return (value < 0 ? "-" : "")
        + fixed(mantissa, decimals)
        + "E"
        + (exponent < 0 ? "-" : "+")
        + (e.length() < 2 ? "0" : "")
        + e;
  }

  /** {@code value} right-aligned in {@code width} characters, as {@code %Nd}. */
  static String right(long value, int width) {
    String text = Long.toString(value);
    return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
  }

  /** {@code value} with leading zeros to {@code width} digits, as {@code %0Nd}. */
  static String zeros(long value, int width) {
    String text = Long.toString(value);
    return text.length() >= width ? text : "0".repeat(width - text.length()) + text;
  }

  /** {@code 2026-11-27 10:21:33} for a time in epoch milliseconds (UTC). */
  static String dateTime(long epochMillis) {
    LocalDateTime t = time(epochMillis);
    return t.getYear()
        + "-"
        + zeros(t.getMonthValue(), 2)
        + "-"
        + zeros(t.getDayOfMonth(), 2)
        + " "
        + clock(t);
  }

  /** {@code 2026-11-27 10:21:33,412}, as Python's logging prints it. */
  static String loggingTime(long epochMillis) {
    return dateTime(epochMillis) + "," + zeros(Math.floorMod(epochMillis, 1000), 3);
  }

  /** {@code 1127 10:21:33.412093}, as glog (PyTorch's C++ warnings) prints it after the level. */
  static String glogTime(long epochMillis, int micros) {
    LocalDateTime t = time(epochMillis);
    return zeros(t.getMonthValue(), 2)
        + zeros(t.getDayOfMonth(), 2)
        + " "
        + clock(t)
        + "."
        + zeros(Math.floorMod(epochMillis, 1000), 3)
        + zeros(micros % 1000, 3);
  }

  /** {@code 1:02:03} or {@code 02:03}, as tqdm prints elapsed and remaining time. */
  static String tqdmDuration(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return (h > 0 ? h + ":" + zeros(m, 2) : zeros(m, 2)) + ":" + zeros(s, 2);
  }

  private static LocalDateTime time(long epochMillis) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
  }

  private static String clock(LocalDateTime t) {
    return zeros(t.getHour(), 2) + ":" + zeros(t.getMinute(), 2) + ":" + zeros(t.getSecond(), 2);
  }
}
