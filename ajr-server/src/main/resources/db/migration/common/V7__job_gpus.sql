-- The GPUs of each job (Slurm's TRES), and the GPU-hours lost to failures (docs/kpis.md).
ALTER TABLE jobs ADD COLUMN gpus INTEGER NOT NULL DEFAULT 0;

-- Per job: GPU-hours its failures cost while it held its GPUs: the work redone, detection,
-- shutdown and restart of each interruption (waiting in the queue holds no GPU), times its GPUs.
CREATE VIEW kpi_gpu_hours_lost AS
SELECT d.job_id,
       j.gpus,
       SUM(COALESCE(d.lost_work_ms, 0) + COALESCE(d.detection_ms, 0)
           + COALESCE(d.shutdown_ms, 0) + COALESCE(d.restart_ms, 0)) * j.gpus * 1.000000
         / 3600000 AS gpu_hours_lost  -- the scale keeps MariaDB's division precise
FROM kpi_downtime d
JOIN jobs j ON j.job_id = d.job_id
GROUP BY d.job_id, j.gpus;
