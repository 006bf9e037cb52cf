-- Intake refreshes the statistics of cases and their events as they grow (casesBeforeNextAnalyze),
-- and on the embedded store an ANALYZE holds the server's one thread: 0.6–1.0 s at 20,000–40,000
-- cases under bench:ingest, a stall every dashboard and reporter feels. ANALYZE reads a sample of
-- 300 × the column's statistics target rows (30,000 by default); an event row is ~2 KB, so
-- sampling the events was the larger half (on the PostgreSQL server at ~60,000 cases: 250–280 ms,
-- and 21 ms with a target of 10). Their columns that queries filter on are a sequence number, ids,
-- a dozen event types and area codes: a 3,000-row sample describes them as well.
ALTER TABLE case_events
  ALTER COLUMN seq SET STATISTICS 10,
  ALTER COLUMN case_id SET STATISTICS 10,
  ALTER COLUMN type SET STATISTICS 10,
  ALTER COLUMN at SET STATISTICS 10,
  ALTER COLUMN street_code SET STATISTICS 10,
  ALTER COLUMN community_code SET STATISTICS 10,
  ALTER COLUMN grid_code SET STATISTICS 10;
