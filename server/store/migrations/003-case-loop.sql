-- The case loop (collect → file → dispatch → handle → feedback → verify/close → evaluate).
-- The event log stays the record; these columns are its projection, written in the same
-- transaction as the events (and re-derivable from them: `npm run audit:verify` compares).

ALTER TABLE cases DROP CONSTRAINT cases_status_known;
ALTER TABLE cases
  ADD CONSTRAINT cases_status_known CHECK (status IN ('queued', 'dispatched', 'handling', 'feedback', 'linked', 'closed', 'rejected', 'merged')),
  -- Which loop holds the case: the grid (micro), the street/town sub-centre (small), the district centre (big).
  ADD COLUMN tier text NOT NULL DEFAULT 'grid' CHECK (tier IN ('grid', 'street', 'district')),
  -- The department that handles the category, as it was when the case was filed.
  ADD COLUMN department_code text,
  ADD COLUMN accepted_at timestamptz,
  ADD COLUMN feedback_at timestamptz,
  -- Who reported the result: verification must be by someone else.
  ADD COLUMN handler_id text,
  -- Handled on the spot by the grid worker who found it (自行处置).
  ADD COLUMN self_handled boolean NOT NULL DEFAULT false,
  ADD COLUMN rework_count integer NOT NULL DEFAULT 0 CHECK (rework_count >= 0),
  ADD COLUMN reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
  ADD COLUMN overdue_accept_at timestamptz,
  ADD COLUMN overdue_resolve_at timestamptz,
  ADD COLUMN escalated_at timestamptz,
  -- A pending extension request: {until, reason, requestedBy, requestedAt}.
  ADD COLUMN extension jsonb,
  -- 限期受理: {unit, dueAt, requirements, setBy, setAt, answeredAt, answer}.
  ADD COLUMN formal_notice jsonb,
  ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 5),
  ADD COLUMN rating_comment text,
  ADD COLUMN rated_at timestamptz;

-- Cases filed before this migration: their tier follows their queue, their department their category.
UPDATE cases SET tier = CASE queue_kind WHEN 'person' THEN 'grid' WHEN 'street' THEN 'street' ELSE 'district' END;
UPDATE cases c SET department_code = k.department_code FROM categories k WHERE k.code = c.category_code;

CREATE INDEX cases_reported_at ON cases (reported_at);
CREATE INDEX cases_closed_at ON cases (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_department ON cases (department_code, reported_at);
-- The escalation scheduler's sweep: open cases by their next deadline.
CREATE INDEX cases_open_accept_due ON cases (accept_due_at) WHERE closed_at IS NULL AND accepted_at IS NULL AND overdue_accept_at IS NULL;
CREATE INDEX cases_open_resolve_due ON cases (resolve_due_at) WHERE closed_at IS NULL AND overdue_resolve_at IS NULL;
