package dev.ajr.server.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AmqpRelay}'s connection to RabbitMQ: one connection and one channel with publisher
 * confirms, on which the exchange is declared durable and of type topic. The client's automatic
 * recovery is off: the relay connects again itself, so nothing is published on a half-recovered
 * channel. {@link #refusal} words the failures that waiting will not mend.
 *
 * <p>Used by the relay's thread (and by {@link AmqpRelay#start} before that thread runs); {@link
 * #connectionOpen} may be called from any thread, and {@link #disconnect} from the thread closing
 * the relay.
 */
final class BrokerConnection {

  private static final Logger log = LoggerFactory.getLogger(AmqpRelay.class); // the relay's lines

  private final AmqpSettings settings;
  private final MetricsCollector metrics;
  private volatile Connection connection;
  private Channel channel;

  /**
   * @param metrics where the client reports its connections, channels and messages
   */
  BrokerConnection(AmqpSettings settings, MetricsCollector metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /** True from a successful connect until {@link #disconnect}, even when the broker went since. */
  boolean hasConnection() {
    return connection != null;
  }

  /** True while the connection is open; may be called from any thread. */
  boolean connectionOpen() {
    Connection c = connection;
    return c != null && c.isOpen();
  }

  /** True while both the connection and its channel are open. */
  boolean usable() {
    return connection != null && connection.isOpen() && channel != null && channel.isOpen();
  }

  /** Publishes the row as a persistent message with the event's id as message-id. */
  void publish(Outbox.Row row) throws IOException {
    channel.basicPublish(
        settings.exchange(),
        row.routingKey(),
        false,
        properties(row),
        row.json().getBytes(StandardCharsets.UTF_8));
  }

  /** Waits until RabbitMQ confirmed everything published; fails on a nack or at the timeout. */
  void waitForConfirms() throws IOException, TimeoutException, InterruptedException {
    channel.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
  }

  private static AMQP.BasicProperties properties(Outbox.Row row) {
    return new AMQP.BasicProperties.Builder()
        .messageId(row.eventId())
        .type(row.type())
        .contentType("application/json")
        .contentEncoding("utf-8")
        .deliveryMode(2)
        .timestamp(row.createdAt() == null ? null : Date.from(row.createdAt()))
        .appId("ajr")
        .headers(Map.of("schema", EventMessages.SCHEMA))
        .build();
  }

  /** Connects, opens the confirm channel and declares the exchange. */
  void connect() throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(settings.host());
    factory.setPort(settings.port());
    factory.setVirtualHost(settings.vhost());
    factory.setUsername(settings.user());
    factory.setPassword(settings.password());
    factory.setMetricsCollector(metrics);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout(10_000);
    factory.setHandshakeTimeout(10_000);
    factory.setRequestedHeartbeat(30);
    factory.setThreadFactory(Thread.ofPlatform().name("ajr-amqp-", 1).daemon(true).factory());
    // the relay reports a lost connection itself, once per outage
    factory.setExceptionHandler(
        new com.rabbitmq.client.impl.DefaultExceptionHandler() {
          @Override
          public void handleUnexpectedConnectionDriverException(Connection c, Throwable e) {
            log.debug("RabbitMQ connection lost: {}", e.toString());
          }
        });
    if (settings.tls()) {
      try {
        factory.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IOException("no TLS for " + settings.shown() + ": " + e.getMessage(), e);
      }
      factory.enableHostnameVerification();
    }
    Connection c = factory.newConnection("ajr");
    connection = c;
    Channel ch = c.createChannel();
    ch.confirmSelect();
    ch.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
    channel = ch;
  }

  /** Drops the connection (aborted, waiting at most 2 s); nothing happens when there is none. */
  void disconnect() {
    Connection c = connection;
    connection = null;
    channel = null;
    if (c != null) {
      c.abort(2_000);
    }
  }

  /** A sentence for an error that will not go away by waiting, or null for one that may. */
  String refusal(Throwable e) {
    String where = "RabbitMQ at " + settings.shown();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationFailureException
          || t instanceof PossibleAuthenticationFailureException) {
        return where
            + " refused the credentials of user "
            + settings.user()
            + "; check the user and password in events.amqp-url (or events.amqp-password-file,"
            + " AJR_AMQP_PASSWORD)";
      }
      if (t instanceof UnknownHostException) {
        return "the host of events.amqp-url ("
            + settings.host()
            + ") is unknown; check events.amqp-url";
      }
      if (t instanceof ShutdownSignalException s
          && s.getReason() instanceof AMQP.Connection.Close close
          && (close.getReplyCode() == 530 || close.getReplyCode() == 403)) {
        return where
            + " refused access to the virtual host "
            + settings.vhost()
            + " for user "
            + settings.user()
            + " ("
            + close.getReplyText()
            + "); check the virtual host in events.amqp-url and the user's permissions";
      }
      if (t instanceof ShutdownSignalException s
          && s.getReason() instanceof AMQP.Channel.Close close
          && (close.getReplyCode() == 406 || close.getReplyCode() == 403)) {
        return where
            + " refused the exchange "
            + settings.exchange()
            + " ("
            + close.getReplyText()
            + "); ajr needs a durable topic exchange: set events.exchange to another name or"
            + " delete the existing one";
      }
    }
    return null;
  }
}
