package dev.ajr.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every option of {@link ConfigLoader#OPTIONS} with its effective value, for administrators.
 *
 * <p>Contract: a secret is never shown, only {@value #SET} or {@value #NOT_SET}. Secrets are the
 * options whose name speaks of a password, token, secret or key, the notification destinations
 * (webhook URLs are credentials), the repair webhook, and a URL that carries a user name, a
 * password or a credential-like query parameter.
 */
public final class EffectiveSettings {

  public static final String SET = "(set)";
  public static final String NOT_SET = "(not set)";

  /** One option as shown; field names are the API's JSON keys. */
  public record Setting(
      String name, String value, String defaultValue, String description, boolean secret) {}

  private static final Set<String> ALWAYS_SECRET =
      Set.of("notifications.destinations", "nodes.repair-webhook");

  private EffectiveSettings() {}

  /** The options in their documented order, from values as given by {@link ConfigLoader}. */
  public static List<Setting> of(Map<String, String> values) {
    List<Setting> settings = new ArrayList<>();
    for (ConfigLoader.Option o : ConfigLoader.OPTIONS) {
      String value = values.getOrDefault(o.name(), "");
      boolean secret = secretName(o.name()) || secretUrl(value);
      String shown = secret ? (value == null || value.isBlank() ? NOT_SET : SET) : value;
      settings.add(new Setting(o.name(), shown, o.defaultValue(), o.meaning(), secret));
    }
    return settings;
  }

  static boolean secretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALWAYS_SECRET.contains(n)
        || n.contains("password")
        || n.contains("token")
        || n.contains("secret")
        || n.matches(".*(^|[.-])(api-)?key([.-]|$).*");
  }

  /** Whether the value is a URL with credentials in it. */
  static boolean secretUrl(String value) {
    if (value == null || !value.contains("://")) {
      return false;
    }
    String v = value.strip();
    int scheme = v.indexOf("://");
    String rest = v.substring(scheme + 3);
    int end = rest.indexOf('/');
    String authority = end < 0 ? rest : rest.substring(0, end);
    if (authority.contains("@")) {
      return true;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    return lower.matches(
        ".*[?&;](password|passwd|pwd|token|access_token|secret|key|apikey|api_key|sig|signature)=.*");
  }
}
