-- API tokens may expire (expires_at, epoch milliseconds; NULL: never) and show when they were last
-- used (last_used_at, written at most once a minute; NULL: never). Audit rows of things that come
-- in bursts (refused logins) are one row per window with the number of occurrences.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE audit_log ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
