-- sess session table (@sess/store-db)
CREATE TABLE IF NOT EXISTS "sess_session" (
  key text PRIMARY KEY,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  owner text,
  deadline timestamptz,
  lifetime integer,
  previous text,
  next text
);
CREATE INDEX IF NOT EXISTS "sess_session_expires_at_idx" ON "sess_session" (expires_at);
CREATE INDEX IF NOT EXISTS "sess_session_owner_idx" ON "sess_session" (owner, created_at) WHERE owner IS NOT NULL;
