package dev.ajr.server.notify;

import dev.ajr.core.notify.Digest;
import java.io.IOException;

/** Delivers one digest to one destination. Called on the notifier's sending thread only. */
public interface NotificationSender {

  /**
   * Sends the digest, or throws with a message that names the destination's host but never a secret
   * (a Slack URL's path, a password).
   */
  void send(Digest digest) throws IOException;
}
