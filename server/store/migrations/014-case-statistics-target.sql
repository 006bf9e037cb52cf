-- The cases' statistics sample fewer rows too (the events' do since migration 012). Intake refreshes
-- them each time the cases double (casesBeforeNextAnalyze); at the default target (100) ANALYZE
-- reads 30,000 rows: on the PostgreSQL server at ~93,000 cases 660–770 ms, at 10 35–38 ms (3,000
-- rows), and on the embedded store the server's one thread waits for it. The cases' queries are
-- lookups by id, number, report, person and area, the open-originals' GiST probe and date ranges:
-- row counts and ten-bucket histograms steer them as well.
ALTER TABLE cases
  ALTER COLUMN id SET STATISTICS 10,
  ALTER COLUMN case_number SET STATISTICS 10,
  ALTER COLUMN report_id SET STATISTICS 10,
  ALTER COLUMN category_code SET STATISTICS 10,
  ALTER COLUMN geom SET STATISTICS 10,
  ALTER COLUMN grid_code SET STATISTICS 10,
  ALTER COLUMN community_code SET STATISTICS 10,
  ALTER COLUMN street_code SET STATISTICS 10,
  ALTER COLUMN status SET STATISTICS 10,
  ALTER COLUMN severity SET STATISTICS 10,
  ALTER COLUMN channel SET STATISTICS 10,
  ALTER COLUMN assignee_id SET STATISTICS 10,
  ALTER COLUMN reported_at SET STATISTICS 10,
  ALTER COLUMN accept_due_at SET STATISTICS 10,
  ALTER COLUMN resolve_due_at SET STATISTICS 10,
  ALTER COLUMN queue_kind SET STATISTICS 10,
  ALTER COLUMN queue_street SET STATISTICS 10,
  ALTER COLUMN duplicate_of SET STATISTICS 10,
  ALTER COLUMN reports_count SET STATISTICS 10,
  ALTER COLUMN closed_at SET STATISTICS 10,
  ALTER COLUMN tier SET STATISTICS 10,
  ALTER COLUMN department_code SET STATISTICS 10,
  ALTER COLUMN accepted_at SET STATISTICS 10,
  ALTER COLUMN feedback_at SET STATISTICS 10,
  ALTER COLUMN handler_id SET STATISTICS 10,
  ALTER COLUMN self_handled SET STATISTICS 10,
  ALTER COLUMN rework_count SET STATISTICS 10,
  ALTER COLUMN reopen_count SET STATISTICS 10,
  ALTER COLUMN overdue_accept_at SET STATISTICS 10,
  ALTER COLUMN overdue_resolve_at SET STATISTICS 10,
  ALTER COLUMN escalated_at SET STATISTICS 10,
  ALTER COLUMN rating SET STATISTICS 10,
  ALTER COLUMN rated_at SET STATISTICS 10;
