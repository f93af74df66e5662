-- The audit trail (dev.ajr.server.audit.SqlAuditLog): who or what did what, when. People's actions
-- (logins, undrains, users, tokens) and ajr's own (decisions, recovery actions, node health), with
-- the actor "ajr". Times are epoch milliseconds; rows older than retention.audit-keep are pruned.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      BIGINT       NOT NULL,
  actor   VARCHAR(255) NOT NULL,
  action  VARCHAR(64)  NOT NULL,
  target  VARCHAR(255) NOT NULL,
  detail  TEXT         NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
