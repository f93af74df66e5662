-- Downtime per interruption and goodput (docs/kpis.md). Durations in milliseconds; a part that
-- cannot be measured (no checkpoint line, no next attempt) is NULL.

-- One row per restart: the moments that bound an interruption.
CREATE VIEW kpi_interruptions AS
SELECT r.decision_id,
       r.job_id,
       r.attempt_index,
       r.cause,
       (SELECT MAX(m.marked_at) FROM progress_marks m
         WHERE m.job_id = r.job_id AND m.attempt_index = r.attempt_index
           AND m.kind = 'CHECKPOINT_SAVED') AS last_saved_at,
       r.line_written_at AS fault_at,
       r.detected_at,
       r.attempt_ended_at,
       r.next_attempt_started_at,
       (SELECT MIN(m.marked_at) FROM progress_marks m
         WHERE m.job_id = r.job_id AND m.attempt_index = r.attempt_index + 1
           AND m.kind = 'CHECKPOINT_LOADED') AS first_loaded_at
FROM kpi_recoveries r
WHERE r.operation = 'RESTART';

-- The interruption split: work lost since the last checkpoint, detection, shutdown, waiting in
-- the queue, restart up to the checkpoint loaded; downtime from checkpoint saved to loaded.
CREATE VIEW kpi_downtime AS
SELECT decision_id,
       job_id,
       attempt_index,
       cause,
       fault_at - last_saved_at AS lost_work_ms,
       detected_at - fault_at AS detection_ms,
       attempt_ended_at - detected_at AS shutdown_ms,
       next_attempt_started_at - attempt_ended_at AS waiting_ms,
       first_loaded_at - next_attempt_started_at AS restart_ms,
       first_loaded_at - last_saved_at AS downtime_ms
FROM kpi_interruptions;

-- Per job: time its attempts ran, and the part of it lost to failures (work redone after a
-- restart and the restart itself, where both are known).
CREATE VIEW kpi_goodput AS
SELECT j.job_id,
       j.run_ms,
       COALESCE((SELECT SUM(d.lost_work_ms + d.restart_ms) FROM kpi_downtime d
                  WHERE d.job_id = j.job_id AND d.lost_work_ms IS NOT NULL
                    AND d.restart_ms IS NOT NULL), 0) AS lost_ms
FROM kpi_jobs j;
