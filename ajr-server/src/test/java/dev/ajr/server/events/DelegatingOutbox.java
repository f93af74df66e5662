package dev.ajr.server.events;

import java.time.Instant;
import java.util.List;

/** An outbox that passes everything on; tests override a method to make it fail. */
class DelegatingOutbox implements Outbox {

  private final Outbox delegate;

  DelegatingOutbox(Outbox delegate) {
    this.delegate = delegate;
  }

  @Override
  public void append(EventMessages.Message message, Instant at) {
    delegate.append(message, at);
  }

  @Override
  public List<Row> unsent(int limit) {
    return delegate.unsent(limit);
  }

  @Override
  public void markSent(List<Long> seqs, Instant at) {
    delegate.markSent(seqs, at);
  }

  @Override
  public int pruneSent(Instant before) {
    return delegate.pruneSent(before);
  }

  @Override
  public int dropOldestUnsent(long keep) {
    return delegate.dropOldestUnsent(keep);
  }

  @Override
  public long unsentCount() {
    return delegate.unsentCount();
  }
}
