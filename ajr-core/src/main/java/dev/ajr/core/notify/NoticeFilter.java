package dev.ajr.core.notify;

import java.util.Set;

/**
 * Which notices a destination wants. An empty set matches everything; a notice without a cause (or
 * partition) never matches a non-empty cause (or partition) set, except that the cause set does not
 * apply to node notices other than those with a cause.
 */
public record NoticeFilter(Set<NoticeKind> kinds, Set<String> causes, Set<String> partitions) {

  public static final NoticeFilter ALL = new NoticeFilter(Set.of(), Set.of(), Set.of());

  public NoticeFilter {
    kinds = Set.copyOf(kinds);
    causes = Set.copyOf(causes);
    partitions = Set.copyOf(partitions);
  }

  public boolean matches(Notice n) {
    if (!kinds.isEmpty() && !kinds.contains(n.kind())) {
      return false;
    }
    if (!causes.isEmpty() && !causes.contains(n.cause())) {
      return false;
    }
    return partitions.isEmpty() || partitions.contains(n.partition());
  }
}
