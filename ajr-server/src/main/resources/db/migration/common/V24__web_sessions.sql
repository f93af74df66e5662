-- Browser sessions of the web UI. The cookie holds a random id; only its SHA-256 is stored. The
-- role is read from users at each request (a deleted user's sessions stop working at once).
-- Times are epoch milliseconds.
CREATE TABLE web_sessions (
  id_hash      VARCHAR(64)  PRIMARY KEY,
  username     VARCHAR(255) NOT NULL,
  csrf_token   VARCHAR(64)  NOT NULL,
  created_at   BIGINT       NOT NULL,
  last_seen_at BIGINT       NOT NULL,
  expires_at   BIGINT       NOT NULL
);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
