package dev.ajr.slurm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Slurm's trackable-resource strings ({@code cpu=8,mem=64G,gres/gpu=8}). Pure. */
final class Tres {

  private static final Pattern GPUS = Pattern.compile("^gres/gpu(?::[^=,]+)?=(\\d{1,9})$");

  private Tres() {}

  /**
   * The GPUs in a TRES string: the untyped total ({@code gres/gpu=8}) when given, else the sum of
   * the typed entries ({@code gres/gpu:a100=8}); 0 when none.
   */
  static int gpus(String tres) {
    int untyped = -1;
    int typed = 0;
    for (String part : tres.split(",")) {
      Matcher m = GPUS.matcher(part.strip());
      if (m.matches()) {
        int n = Integer.parseInt(m.group(1));
        if (part.strip().startsWith("gres/gpu=")) {
          untyped = n;
        } else {
          typed += n;
        }
      }
    }
    return untyped >= 0 ? untyped : typed;
  }
}
