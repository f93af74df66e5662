-- The action the matching rule recommends (REQUEUE, REQUEUE_EXCLUDE_NODE, STOP).
ALTER TABLE anomalies ADD COLUMN action VARCHAR(32) NOT NULL DEFAULT 'REQUEUE';
