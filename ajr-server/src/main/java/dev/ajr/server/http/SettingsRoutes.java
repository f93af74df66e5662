package dev.ajr.server.http;

import dev.ajr.server.config.EffectiveSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/settings}: every option with its effective value, default and meaning.
 *
 * <p>Contract: administrators only ({@link Access#ADMIN}); secrets are shown as "(set)" or "(not
 * set)" (see {@link EffectiveSettings}).
 */
final class SettingsRoutes {

  private final Supplier<List<EffectiveSettings.Setting>> settings;

  SettingsRoutes(Supplier<List<EffectiveSettings.Setting>> settings) {
    this.settings = settings;
  }

  Reply list(Call call) {
    List<Map<String, Object>> items =
        settings.get().stream()
            .map(s -> {
              Map<String, Object> item = new LinkedHashMap<>();
              item.put("name", s.name());
              item.put("value", s.value());
              item.put("default", s.defaultValue());
              item.put("description", s.description());
              item.put("secret", s.secret());
              return item;
            })
            .toList();
    return new Reply(200, Map.of("items", items));
  }
}
