-- The log excerpt around an anomaly's root line (dev.ajr.core.detect.Excerpt): JSON
-- [{"lineNumber": n, "text": "...", "root": true|false}], at most 16 KB, lines in order. Lines
-- printed by a job are untrusted; they are kept as data only. Anomalies recorded before this column
-- existed have none (NULL).
ALTER TABLE anomalies ADD COLUMN excerpt TEXT;
