package dev.ajr.server.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meters of one server, in Prometheus' text format: ajr's own ({@link AjrMeters}), the JVM's
 * (memory, garbage collection, threads, classes, CPU, uptime) and those its libraries report
 * (HikariCP's pool, the RabbitMQ client). Each server has its own registry: nothing is global, so
 * several servers in one JVM (tests) do not mix. Thread-safe; {@link #close} once the server
 * stopped.
 */
public final class ServerMetrics implements AutoCloseable {

  /** The content type of {@link #scrape()}: Prometheus' text format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final AjrMeters meters = new AjrMeters(registry);

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public AjrMeters meters() {
    return meters;
  }

  /** Every meter now, in Prometheus' text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  /** Stops listening to the JVM's garbage collections and closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
