-- People and roles: accounts that sign in, and their sessions. Roles are those of core/access/actor.ts.
-- A password is stored only as its scrypt hash (server/auth/password-hash.ts); a session only as the
-- SHA-256 of its token, so a copy of this database lets nobody sign in or take over a session.

CREATE TABLE accounts (
  id              text PRIMARY KEY,
  -- Stored lower-cased: usernames are unique regardless of case.
  username        text NOT NULL UNIQUE CHECK (username = lower(username) AND username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
  display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role            text NOT NULL CHECK (role IN ('district-dispatcher', 'street-dispatcher', 'grid-worker', 'department-staff', 'verifier', 'analyst', 'admin')),
  -- The roster person this account is (grid workers, department staff); cleared if the roster drops them.
  person_id       text REFERENCES personnel (id) ON DELETE SET NULL,
  -- No foreign key: an imported geography replaces the streets; the service checks the code on entry.
  street_code     text CHECK (street_code ~ '^[0-9]{9}$'),
  department_code text REFERENCES departments (code),
  password_hash   text NOT NULL,
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accounts_street_dispatcher_street CHECK (role <> 'street-dispatcher' OR street_code IS NOT NULL),
  CONSTRAINT accounts_department_staff_department CHECK (role <> 'department-staff' OR department_code IS NOT NULL)
);
CREATE INDEX accounts_person ON accounts (person_id);

CREATE TABLE sessions (
  -- SHA-256 (hex) of the session token; the token itself is never stored.
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
