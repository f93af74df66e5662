-- ajr schema, version 1. Times are epoch milliseconds (UTC).

CREATE TABLE jobs (
  job_id            BIGINT PRIMARY KEY,
  name              TEXT    NOT NULL,
  user_name         VARCHAR(255)    NOT NULL,
  partition_name    TEXT    NOT NULL,
  work_dir          TEXT    NOT NULL,
  std_out           TEXT    NOT NULL,
  std_err           TEXT    NOT NULL,
  comment           TEXT    NOT NULL,
  directive_status  TEXT    NOT NULL,  -- ABSENT | VALID | INVALID
  resume_mode       TEXT,              -- requeue | singleton_dependency, when VALID
  max_requeue_times INTEGER,           -- the job's own max_requeue_times, when given
  directive_problem TEXT,              -- why the directive cannot be followed, when INVALID
  status            VARCHAR(32)    NOT NULL,
  status_reason     TEXT    NOT NULL,
  submit_time       BIGINT,
  first_seen        BIGINT  NOT NULL,
  updated_at        BIGINT  NOT NULL
) DEFAULT CHARSET = utf8mb4;
CREATE INDEX jobs_by_user ON jobs (user_name);
CREATE INDEX jobs_by_status ON jobs (status);

CREATE TABLE attempts (
  job_id        BIGINT  NOT NULL,
  attempt_index INTEGER NOT NULL,
  state         TEXT    NOT NULL,
  nodes         TEXT    NOT NULL,  -- comma-separated host names
  start_time    BIGINT,
  end_time      BIGINT,
  exit_code     INTEGER,
  end_reason    TEXT    NOT NULL,
  PRIMARY KEY (job_id, attempt_index),
  FOREIGN KEY (job_id) REFERENCES jobs (job_id)
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE anomalies (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  job_id        BIGINT  NOT NULL,
  attempt_index INTEGER NOT NULL,
  type          TEXT    NOT NULL,
  cause         TEXT    NOT NULL,
  rule_id       TEXT    NOT NULL,
  line          TEXT    NOT NULL,
  source        VARCHAR(512)    NOT NULL,
  line_number   BIGINT  NOT NULL,
  node          TEXT    NOT NULL,
  line_written_at BIGINT,          -- the log file's modification time when the line was read
  line_read_at  BIGINT  NOT NULL,
  detected_at   BIGINT  NOT NULL,
  UNIQUE (job_id, attempt_index, source, line_number),
  FOREIGN KEY (job_id) REFERENCES jobs (job_id)
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE decisions (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  job_id        BIGINT  NOT NULL,
  attempt_index INTEGER NOT NULL,
  operation     TEXT    NOT NULL,
  reasons       TEXT    NOT NULL,  -- JSON array of sentences
  anomaly_id    BIGINT  NOT NULL,
  state         VARCHAR(32)    NOT NULL,
  stops_job     INTEGER NOT NULL,
  stop_reason   TEXT    NOT NULL,
  created_at    BIGINT  NOT NULL,
  finished_at   BIGINT,
  UNIQUE (job_id, attempt_index),
  FOREIGN KEY (job_id) REFERENCES jobs (job_id)
) DEFAULT CHARSET = utf8mb4;
CREATE INDEX decisions_by_state ON decisions (state);

CREATE TABLE actions (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  decision_id   BIGINT  NOT NULL,
  seq           INTEGER NOT NULL,
  kind          TEXT    NOT NULL,
  target_job_id BIGINT  NOT NULL,
  nodes         TEXT    NOT NULL,
  state         TEXT    NOT NULL,
  tries         INTEGER NOT NULL,
  outcome       TEXT    NOT NULL,
  started_at    BIGINT,
  finished_at   BIGINT,
  UNIQUE (decision_id, seq),
  FOREIGN KEY (decision_id) REFERENCES decisions (id)
) DEFAULT CHARSET = utf8mb4;
CREATE INDEX actions_by_target ON actions (target_job_id);

CREATE TABLE users (
  username      VARCHAR(255) PRIMARY KEY,
  password_hash TEXT   NOT NULL,
  role          TEXT   NOT NULL,  -- viewer | operator | admin
  created_at    BIGINT NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE api_tokens (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  username     VARCHAR(255)   NOT NULL,
  name         TEXT   NOT NULL,
  token_hash   VARCHAR(64)   NOT NULL UNIQUE,  -- SHA-256 of the token; the token itself is never stored
  created_at   BIGINT NOT NULL,
  FOREIGN KEY (username) REFERENCES users (username)
) DEFAULT CHARSET = utf8mb4;
