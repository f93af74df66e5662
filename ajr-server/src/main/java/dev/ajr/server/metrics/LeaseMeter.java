package dev.ajr.server.metrics;

/** What the leader election reports about each of its rounds. Thread-safe. */
public interface LeaseMeter {

  /** Records nothing. */
  LeaseMeter NONE =
      new LeaseMeter() {
        @Override
        public void held() {}

        @Override
        public void elsewhere() {}

        @Override
        public void failed() {}
      };

  /** This replica took or renewed the lease. */
  void held();

  /** Another replica holds the lease. */
  void elsewhere();

  /** The lease could not be read or written (the database did not answer). */
  void failed();
}
