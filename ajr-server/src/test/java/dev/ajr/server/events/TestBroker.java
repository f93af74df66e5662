package dev.ajr.server.events;

import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * This machine's RabbitMQ (127.0.0.1:5672, guest/guest) for tests: a new exchange and a durable
 * queue per test, deleted afterwards. A broker that is not running fails the test with what to
 * start; nothing is skipped.
 */
public final class TestBroker implements AutoCloseable {

  public static final String URL = "amqp://guest:guest@127.0.0.1:5672/";
  static final String START =
      "start it (rabbitmq-server -detached, or rabbitmqctl start_app when the node runs;"
          + " scripts/services.sh does either) and run the tests again";

  /** A message as a consumer sees it. */
  record Received(
      String routingKey, String messageId, String contentType, String type, String body) {}

  public final String exchange = "ajr.test." + UUID.randomUUID();
  final String queue = "ajr-test-" + UUID.randomUUID();

  public TestBroker(String... bindings) {
    try (Connection c = connect();
        Channel ch = c.createChannel()) {
      ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
      ch.queueDeclare(queue, true, false, false, null);
      for (String key : bindings.length == 0 ? new String[] {"#"} : bindings) {
        ch.queueBind(queue, exchange, key);
      }
    } catch (IOException | TimeoutException e) {
      fail("cannot set up RabbitMQ for the test: " + e);
    }
  }

  AmqpSettings settings() {
    return AmqpSettings.parse(URL, null)
        .withExchange(exchange)
        .withRetry(Duration.ofMillis(100), Duration.ofMillis(500));
  }

  static Connection connect() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(5672);
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    try {
      return f.newConnection("ajr-test");
    } catch (IOException | TimeoutException e) {
      throw new AssertionError("RabbitMQ at 127.0.0.1:5672 is not available (" + e + "); " + START);
    }
  }

  /** Takes every message in the queue, waiting until {@code done} says enough or the deadline. */
  List<Received> drain(Duration deadline, java.util.function.Predicate<List<Received>> done) {
    List<Received> all = new ArrayList<>();
    long end = System.nanoTime() + deadline.toNanos();
    try (Connection c = connect();
        Channel ch = c.createChannel()) {
      while (!done.test(all) && System.nanoTime() < end) {
        GetResponse r = ch.basicGet(queue, true);
        if (r == null) {
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          continue;
        }
        all.add(
            new Received(
                r.getEnvelope().getRoutingKey(),
                r.getProps().getMessageId(),
                r.getProps().getContentType(),
                r.getProps().getType(),
                new String(r.getBody(), StandardCharsets.UTF_8)));
      }
    } catch (IOException | TimeoutException e) {
      fail("reading the queue failed: " + e);
    }
    return all;
  }

  /** Polls until the condition holds or fails the test after the deadline. */
  static void await(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + deadline + " waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Runs {@code rabbitmqctl ARGS} (as root), failing the test with its output when it fails. */
  static void rabbitmqctl(String... args) {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail(
            String.join(" ", command)
                + " failed (the broker-restart test runs rabbitmqctl as root): "
                + output.strip());
      }
    } catch (IOException e) {
      fail("cannot run rabbitmqctl (is RabbitMQ installed? apt-get install rabbitmq-server): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  @Override
  public void close() {
    try (Connection c = connect();
        Channel ch = c.createChannel()) {
      ch.queueDelete(queue);
      ch.exchangeDelete(exchange);
    } catch (IOException | TimeoutException | AssertionError e) {
      // the broker may be gone; the queue and exchange are then left for the next test run
    }
  }
}
