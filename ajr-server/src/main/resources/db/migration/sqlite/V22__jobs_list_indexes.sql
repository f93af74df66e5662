-- The jobs list (GET /api/v1/jobs) orders and filters by sort_time: the submit time, or the time
-- ajr first saw the job when Slurm gave none. Each filter has an index that also gives the order,
-- so a page is read in order and a count never sorts; these replace the single-column indexes.
ALTER TABLE jobs ADD COLUMN sort_time BIGINT
  GENERATED ALWAYS AS (COALESCE(submit_time, first_seen)) VIRTUAL;
DROP INDEX jobs_by_user;
DROP INDEX jobs_by_status;
CREATE INDEX jobs_by_time ON jobs (sort_time, job_id);
CREATE INDEX jobs_by_user_time ON jobs (user_name, sort_time, job_id);
CREATE INDEX jobs_by_status_time ON jobs (status, sort_time, job_id);
CREATE INDEX jobs_by_partition_time ON jobs (partition_name, sort_time, job_id);
-- Jobs with an anomaly of a cause; and the causes known, for the filter's choices.
CREATE INDEX anomalies_by_cause ON anomalies (cause, job_id);
