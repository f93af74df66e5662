package dev.ajr.server.config;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every option of {@link OptionCatalog} with its effective value, for administrators.
 *
 * <p>Contract: a secret is never shown, only {@value #SET} or {@value #NOT_SET}. Secrets are the
 * options declared secret and, as an extra safety, a URL-typed option whose value carries a user
 * name, a password or a credential-like query parameter.
 */
public final class EffectiveSettings {

  public static final String SET = "(set)";
  public static final String NOT_SET = "(not set)";

  /** One option as shown; field names are the API's JSON keys. */
  public record Setting(
      String name, String value, String defaultValue, String description, boolean secret) {}

  private EffectiveSettings() {}

  /** The options in their documented order, from values as given by {@link ConfigLoader}. */
  public static List<Setting> of(Map<String, String> values) {
    List<Setting> settings = new ArrayList<>();
    for (Option<?> o : OptionCatalog.ALL) {
      String value = values.getOrDefault(o.name(), "");
      boolean secret = o.secret() || (o.type().kind() == OptionType.Kind.URL && secretUrl(value));
      String shown = secret ? (value == null || value.isBlank() ? NOT_SET : SET) : value;
      settings.add(new Setting(o.name(), shown, o.shownDefault(), o.description(), secret));
    }
    return settings;
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
