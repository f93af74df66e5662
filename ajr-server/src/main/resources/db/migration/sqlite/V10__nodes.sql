-- Node health as ajr sees it (dev.ajr.core.node): OK, SUSPECT, DRAINING (decided, not yet
-- verified), DRAINED, IN_REPAIR, with the reason and the evidence that led there.
CREATE TABLE nodes (
  name        TEXT PRIMARY KEY,
  health      VARCHAR(16) NOT NULL,
  reason      TEXT NOT NULL,
  evidence    TEXT NOT NULL,  -- the log line that led to the health, or empty
  anomaly_id  BIGINT NOT NULL,  -- the anomaly, or 0
  since       BIGINT NOT NULL
);

-- Each node's history: implications (for lemon nodes), drains (for the blast radius), resumes
-- (with the operator who asked): the audit trail of what ajr did to nodes.
CREATE TABLE node_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  node        TEXT NOT NULL,
  at          BIGINT NOT NULL,
  kind        VARCHAR(24) NOT NULL,
  reason      TEXT NOT NULL,
  job_id      BIGINT NOT NULL,
  anomaly_id  BIGINT NOT NULL,
  actor       VARCHAR(255) NOT NULL
);
CREATE INDEX node_events_node_at ON node_events (node, at);
CREATE INDEX node_events_kind_at ON node_events (kind, at);
