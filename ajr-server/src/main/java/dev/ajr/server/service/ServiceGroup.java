package dev.ajr.server.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a list of services in order and closes them in reverse, like Guava's {@code
 * ServiceManager} but in sequence: a service may use what the services before it started.
 *
 * <p>Contract: {@link #start} starts each service in list order and logs its name and how long its
 * start took. When one fails, every service of the group is closed in reverse order (those not yet
 * started too, since construction may already hold resources such as a bound port) and {@link
 * StartFailed} names the one that failed. {@link #close} closes every service in reverse order; a
 * service whose close throws is logged and the others are still closed. Both run once; later calls
 * do nothing. Thread-safe.
 */
public final class ServiceGroup implements Service {

  private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);

  /** A service of the group could not start; the group is closed. */
  public static final class StartFailed extends Exception {
    private final String service;

    StartFailed(String service, Exception cause) {
      super(service + " did not start: " + message(cause), cause);
      this.service = service;
    }

    /** The name of the service that failed. */
    public String service() {
      return service;
    }

    private static String message(Throwable e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
  }

  private final String name;
  private final List<Service> services;
  private final LongSupplier nanoTime;
  private final Map<String, Duration> startTimes = new LinkedHashMap<>();
  private boolean started;
  private boolean closed;

  public ServiceGroup(String name, List<Service> services) {
    this(name, services, System::nanoTime);
  }

  ServiceGroup(String name, List<Service> services, LongSupplier nanoTime) {
    this.name = name;
    this.services = List.copyOf(services);
    this.nanoTime = nanoTime;
  }

  @Override
  public String name() {
    return name;
  }

  /** The services' names, in start order. */
  public List<String> names() {
    return services.stream().map(Service::name).toList();
  }

  @Override
  public synchronized void start() throws StartFailed {
    if (started || closed) {
      return;
    }
    started = true;
    for (Service service : services) {
      long begin = nanoTime.getAsLong();
      try {
        service.start();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.error("{} did not start: {}", service.name(), e.toString());
        close();
        throw new StartFailed(service.name(), e);
      }
      Duration took = Duration.ofNanos(nanoTime.getAsLong() - begin);
      startTimes.put(service.name(), took);
      log.info("started {} in {} ms", service.name(), took.toMillis());
    }
  }

  /** How long each service's start took, in start order (those started so far). */
  public synchronized Map<String, Duration> startTimes() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(startTimes));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<Service> reverse = new ArrayList<>(services);
    java.util.Collections.reverse(reverse);
    for (Service service : reverse) {
      try {
        service.close();
      } catch (RuntimeException e) {
        log.warn("closing {} failed: {}", service.name(), e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return name + names();
  }
}
