-- An `imported` event's payload (the case as it stands after it) is its data put through the case
-- loop (applyEvent, then summaryOf with nobody assigned): deterministic, so a bulk import stores NULL
-- instead of a second ~1 KB JSON document per case, and the one reader of payloads (catch-up,
-- cases.repository.ts events()) derives it. Every other event keeps its stored payload.
ALTER TABLE case_events ALTER COLUMN payload DROP NOT NULL;
