-- How far each shipped stream (a file on a node, a node's kernel log, a pushed Loki stream) has
-- been taken in, so a batch sent again (an agent or a shipper retrying after a timeout or a
-- restart) is recognised and not handled twice. A stream's position only grows within one
-- generation; a new generation (a rewritten file, a reboot) starts again.
CREATE TABLE ingest_positions (
  node        TEXT NOT NULL,  -- the sender's node, or the shipper's tenant for pushed streams
  stream      TEXT NOT NULL,  -- a file path, "kernel", or a Loki label set
  generation  VARCHAR(64)  NOT NULL,  -- a file's rewrite count, a boot id
  position    BIGINT       NOT NULL,  -- the last line number, sequence number or timestamp taken
  updated_at  BIGINT       NOT NULL,
  PRIMARY KEY (node, stream)
);
