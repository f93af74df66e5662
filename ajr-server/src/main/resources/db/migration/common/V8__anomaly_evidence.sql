-- What kind of log an anomaly's root line is from (dev.ajr.core.detect.Evidence): the job's own
-- output (untrusted), a node's kernel log (trusted: may justify draining the node), or ajr's
-- progress monitor. Anomalies recorded before this column existed all came from job output.
ALTER TABLE anomalies ADD COLUMN evidence VARCHAR(16) NOT NULL DEFAULT 'JOB_OUTPUT';
