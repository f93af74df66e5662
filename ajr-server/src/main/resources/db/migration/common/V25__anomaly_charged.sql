-- Whether a recovery after the anomaly counts against the job's budget of recoveries (its rule's
-- "charged"; dev.ajr.core.detect.Anomaly): 1 for failures of the job's own, 0 for those that are
-- not the job's fault. Before this column existed the policy knew the two rules that are not by
-- their ids, so their anomalies are marked here.
ALTER TABLE anomalies ADD COLUMN charged INTEGER NOT NULL DEFAULT 1;
UPDATE anomalies SET charged = 0 WHERE rule_id IN ('slurm.preempted', 'slurm.node-failure');
