package dev.ajr.server.service;

/**
 * A long-running part of the server with one lifecycle: built, started once, closed once.
 *
 * <p>Contract: {@link #start} returns when the part works (its threads run, its port is bound) or
 * throws, leaving whatever it opened for {@link #close}. {@link #close} stops what start began and
 * releases what construction opened; it is safe to call whether or not {@link #start} ran or
 * succeeded, never throws, and a second call does nothing. A {@link ServiceGroup} calls both, in
 * order and in reverse.
 */
public interface Service extends AutoCloseable {

  /** A short name for logs: "api", "scheduler poller". */
  String name();

  void start() throws Exception;

  @Override
  void close();

  /** What a service does on start; may fail with any exception. */
  @FunctionalInterface
  interface Start {
    void run() throws Exception;
  }

  /** A service made of a start step and a close step. */
  static Service of(String name, Start start, Runnable close) {
    return new Service() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() throws Exception {
        start.run();
      }

      @Override
      public void close() {
        close.run();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** A service with nothing to start that closes a resource (a connection pool, a directory). */
  static Service closing(String name, AutoCloseable resource) {
    return of(
        name,
        () -> {},
        () -> {
          try {
            resource.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
