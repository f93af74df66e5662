-- The leader lease of several ajr replicas sharing this database: the holder acts on Slurm until
-- expires_at (epoch milliseconds); token grows by one with every new holder and fences every
-- action, so a replica that was paused and lost the lease cannot act late.
CREATE TABLE leases (
  name        VARCHAR(64)  PRIMARY KEY,
  holder      VARCHAR(255) NOT NULL,
  token       BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL
);
