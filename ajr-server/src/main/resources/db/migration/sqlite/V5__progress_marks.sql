-- Checkpoints saved and loaded, as the jobs' logs show them: the KPIs of lost work and downtime
-- per interruption are measured between them (docs/kpis.md).
CREATE TABLE progress_marks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id        BIGINT      NOT NULL,
  attempt_index INTEGER     NOT NULL,
  kind          VARCHAR(32) NOT NULL,  -- CHECKPOINT_SAVED | CHECKPOINT_LOADED
  marked_at     BIGINT      NOT NULL,  -- when the line was read
  iteration     BIGINT      NOT NULL   -- the iteration the line names, or -1
);
CREATE INDEX progress_marks_by_attempt ON progress_marks (job_id, attempt_index, kind);
