-- The events one intake batch writes for a new case (filed, then dispatched, queued or linked, and
-- perhaps a "me too") all carry the same payload: the case as it stands after the batch, which is
-- what live dashboards are sent for them. Only the last of them stores it; the others leave it NULL,
-- and the one reader of payloads (catch-up, cases.repository.ts events()) takes it from the case's
-- next event that has one. Under bench:ingest this halves the jsonb an intake batch parses and
-- writes. The table is unchanged (migration 009 already lets a payload be NULL); the column says so.
COMMENT ON COLUMN case_events.payload IS
  'The case as it stands after this event, as live dashboards were sent it. NULL for an imported event (derived from its data) and for an event whose payload the case''s next event with one carries (written in the same batch).';
