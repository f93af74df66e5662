-- The transactional outbox of events for RabbitMQ (events.amqp-url; docs/events.md). Each event
-- is written here before it counts as published; the relay sends unsent rows in seq order with
-- publisher confirms and sets sent_at only after RabbitMQ confirmed them. Sent rows are pruned
-- after events.outbox-keep-sent; unsent rows beyond events.outbox-max-unsent are dropped oldest
-- first.
CREATE TABLE outbox (
  seq          BIGINT AUTO_INCREMENT PRIMARY KEY,
  event_id     VARCHAR(36) NOT NULL UNIQUE,  -- the envelope's id and the message-id property
  event_type   VARCHAR(64) NOT NULL,
  routing_key  VARCHAR(255) NOT NULL,
  payload      MEDIUMTEXT NOT NULL,          -- the JSON envelope (a log line may be 64 KiB)
  created_at   BIGINT NOT NULL,
  sent_at      BIGINT NULL                   -- null until confirmed by RabbitMQ
) DEFAULT CHARSET = utf8mb4;
CREATE INDEX outbox_sent_seq ON outbox (sent_at, seq);
