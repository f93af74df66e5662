package dev.ajr.server.store;

import dev.ajr.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Which connection a statement of a {@link Database} runs on: the calling thread's transaction's
 * while it runs one ({@link #atomically}), else one taken from the pool for that statement or unit
 * of work alone. The binding is per thread and never crosses threads; an {@code atomically} or
 * {@link #inTransaction} inside another joins the outer transaction. Thread-safe.
 */
final class ThreadTransactions {

  private final DataSource pool;

  /** The transaction this thread runs in ({@link #atomically}), or null. */
  private final ThreadLocal<Bound> bound = new ThreadLocal<>();

  private record Bound(Connection connection, List<Runnable> afterCommit) {}

  ThreadTransactions(DataSource pool) {
    this.pool = pool;
  }

  /** Runs one statement's work on the thread's transaction's connection, or on a pooled one. */
  <T> T withConnection(Database.Work<T> work) throws SQLException {
    Bound b = bound.get();
    if (b != null) {
      return work.run(b.connection());
    }
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    }
  }

  /** As {@link Database#atomically}. */
  <T> T atomically(Supplier<T> work) {
    if (bound.get() != null) {
      return work.get();
    }
    List<Runnable> after = new ArrayList<>();
    T result;
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      bound.set(new Bound(c, after));
      try {
        result = work.get();
        c.commit();
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        bound.remove();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("transaction failed: " + e.getMessage(), e);
    }
    for (Runnable task : after) {
      task.run();
    }
    return result;
  }

  /** As {@link Database#afterCommit}. */
  void afterCommit(Runnable task) {
    Bound b = bound.get();
    if (b == null) {
      task.run();
    } else {
      b.afterCommit().add(task);
    }
  }

  /** As {@link Database#inTransaction}. */
  <T> T inTransaction(Database.Work<T> work) {
    Bound b = bound.get();
    if (b != null) {
      try {
        return work.run(b.connection());
      } catch (SQLException e) {
        throw new StoreException("transaction failed: " + e.getMessage(), e);
      }
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("transaction failed: " + e.getMessage(), e);
    }
  }
}
