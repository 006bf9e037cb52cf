-- Open311 GeoReport v2: the API keys that may POST service requests. A key is stored only as the
-- SHA-256 (hex) of its text, so a copy of this database lets nobody file requests in its name.
-- Keys are made and disabled by an administrator (`npm run open311-keys`); never deleted, so the
-- cases filed with one (their report ids carry the key's id) can always be traced to it.

CREATE TABLE open311_api_keys (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,40}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_hash    text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled    boolean NOT NULL DEFAULT false
);
