-- Read-only views of the KPIs (docs/kpis.md), for dashboards and the read-only database user.
-- Times are epoch milliseconds; durations are milliseconds.

-- One row per recovery decision: when the fault line was written, detected, the attempt ended,
-- and the next attempt started.
CREATE VIEW kpi_recoveries AS
SELECT d.id AS decision_id,
       d.job_id,
       d.attempt_index,
       d.operation,
       d.state AS decision_state,
       an.cause,
       an.type AS anomaly_type,
       an.rule_id,
       an.node,
       an.line_written_at,
       an.detected_at,
       an.detected_at - an.line_written_at AS detect_ms,
       ended.finished_at AS attempt_ended_at,
       ended.finished_at - an.line_written_at AS fault_to_end_ms,
       nxt.start_time AS next_attempt_started_at,
       nxt.start_time - ended.finished_at AS end_to_restart_ms
FROM decisions d
JOIN anomalies an ON an.id = d.anomaly_id
LEFT JOIN actions ended
  ON ended.decision_id = d.id AND ended.seq = 0 AND ended.state = 'VERIFIED'
     AND ended.kind IN ('REQUEUE_HOLD', 'CANCEL')
LEFT JOIN attempts nxt ON nxt.job_id = d.job_id AND nxt.attempt_index = d.attempt_index + 1;

-- Requeues done, by root cause.
CREATE VIEW kpi_requeues_by_cause AS
SELECT an.cause, COUNT(*) AS requeues
FROM decisions d
JOIN anomalies an ON an.id = d.anomaly_id
WHERE d.operation = 'RESTART' AND d.state = 'DONE'
GROUP BY an.cause;

-- Nodes by failures: how many different jobs had an anomaly attributed to the node (lemons).
CREATE VIEW kpi_node_failures AS
SELECT node, COUNT(DISTINCT job_id) AS jobs, COUNT(*) AS anomalies
FROM anomalies
WHERE node <> '' AND action <> 'NONE'
GROUP BY node;

-- One row per job: attempts, recoveries, and the time its attempts ran.
CREATE VIEW kpi_jobs AS
SELECT j.job_id,
       j.user_name,
       j.partition_name,
       j.status,
       (SELECT COUNT(*) FROM attempts a WHERE a.job_id = j.job_id) AS attempts,
       (SELECT COUNT(*) FROM decisions d
         WHERE d.job_id = j.job_id AND d.operation IN ('RESTART', 'RELEASE')
           AND d.state = 'DONE') AS recoveries,
       (SELECT COALESCE(SUM(a.end_time - a.start_time), 0) FROM attempts a
         WHERE a.job_id = j.job_id AND a.start_time IS NOT NULL
           AND a.end_time IS NOT NULL) AS run_ms
FROM jobs j;
