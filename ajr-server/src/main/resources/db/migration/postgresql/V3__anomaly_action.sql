-- The action the matching rule recommends (REQUEUE, REQUEUE_EXCLUDE_NODE, STOP).
ALTER TABLE anomalies ADD COLUMN action TEXT NOT NULL DEFAULT 'REQUEUE';
