-- Where the log follower stopped in each file of an active job, so a restart of ajr neither
-- reads a line twice nor attributes an old line to a new attempt.
CREATE TABLE log_offsets (
  job_id        BIGINT  NOT NULL,
  path          VARCHAR(512)    NOT NULL,
  attempt_index INTEGER NOT NULL,  -- the attempt the file belongs to; -1: whichever runs
  resume_at     BIGINT  NOT NULL,  -- byte offset of the first line not yet handed out
  line_number   BIGINT  NOT NULL,  -- lines handed out so far
  head_length   BIGINT  NOT NULL,  -- how many first bytes head_crc covers
  head_crc      BIGINT  NOT NULL,  -- CRC-32 of those bytes: a rewritten file is read anew
  updated_at    BIGINT  NOT NULL,
  PRIMARY KEY (job_id, path)
);
