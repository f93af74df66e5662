package dev.ajr.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, found through the service loader when the first logger is made:
 * ajr's text format at info on standard error, or what {@code AJR_LOG_LEVEL} and {@code
 * AJR_LOG_FORMAT} say. A Logback file named by {@code -Dlogback.configurationFile} is used instead
 * when given (for whoever needs more than ajr's options).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AjrLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSetup.apply(context, LogSetup.fromEnvironment(System.getenv()), LogSetup.STANDARD_ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
