package dev.ajr.core.progress;

/**
 * When a rank counts as a straggler.
 *
 * @param warmup iterations ignored at the start of an attempt (compilation, caches)
 * @param baselineSamples iterations after the warm-up that make the rank's baseline (median)
 * @param window the most recent iterations compared with the baseline (median)
 * @param factor how much slower than its baseline a rank must be, sustained over the window
 */
public record StragglerSettings(int warmup, int baselineSamples, int window, double factor) {

  public static final StragglerSettings DEFAULTS = new StragglerSettings(5, 20, 10, 1.5);
}
