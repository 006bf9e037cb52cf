-- The deadline scheduler looks for overdue open cases due an escalation every 30 s
-- (escalationCandidates). Without an index of its own that was a scan of every case: on the
-- PostgreSQL server at ~75,000 cases a parallel scan of ~200 ms on all of a 2-core machine's cores,
-- every sweep, under intake. Overdue open cases are few next to the open ones, and a new case has
-- no overdue mark, so intake adds nothing to this index.
CREATE INDEX cases_open_overdue ON cases (id)
  WHERE closed_at IS NULL AND (overdue_accept_at IS NOT NULL OR overdue_resolve_at IS NOT NULL);
