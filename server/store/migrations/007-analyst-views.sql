-- Direct PostGIS access for analysts: two views that GIS tools (QGIS, ogr2ogr, psql) list as layers,
-- and a read-only role that may read them and the geography, nothing else. The views never carry
-- reporter data (name, phone, id), photos or the free-text description.
--
-- An administrator lets a person in with a login role of their own:
--   CREATE ROLE alice LOGIN PASSWORD '…';  GRANT grid_command_analyst TO alice;

-- Open cases (closed_at IS NULL, likely duplicates included: see status and duplicate_of_number)
-- with the names of their areas, category, department and assignee, their deadlines, and whether
-- each has passed now (accept: not yet accepted, as the deadline scheduler counts it; resolve: the
-- resolve deadline, as the evaluation's "overdue now" counts it). The scheduler's own marks are
-- overdue_accept_marked_at / overdue_resolve_marked_at. One row per case; case_id is unique.
CREATE VIEW analyst_open_cases AS
SELECT c.id AS case_id,
       c.case_number,
       c.status,
       c.tier,
       c.severity,
       c.channel,
       c.category_code,
       k.name_zh AS category_name,
       k.name_en AS category_name_en,
       c.department_code,
       d.name_zh AS department_name,
       d.name_en AS department_name_en,
       c.grid_code,
       g.name AS grid_name,
       c.community_code,
       m.name AS community_name,
       c.street_code,
       s.name AS street_name,
       c.queue_kind,
       c.assignee_id,
       p.name AS assignee_name,
       c.reported_at,
       c.accepted_at,
       c.accept_due_at,
       c.resolve_due_at,
       coalesce(c.accepted_at IS NULL AND c.status <> 'feedback' AND c.accept_due_at < now(), false) AS accept_overdue,
       coalesce(c.resolve_due_at < now(), false) AS resolve_overdue,
       c.overdue_accept_at AS overdue_accept_marked_at,
       c.overdue_resolve_at AS overdue_resolve_marked_at,
       c.escalated_at,
       c.reports_count,
       dup.case_number AS duplicate_of_number,
       c.geom::geometry(Point, 4326) AS geom
FROM cases c
JOIN categories k ON k.code = c.category_code
LEFT JOIN departments d ON d.code = c.department_code
LEFT JOIN grids g ON g.code = c.grid_code
LEFT JOIN communities m ON m.code = c.community_code
LEFT JOIN streets s ON s.code = c.street_code
LEFT JOIN personnel p ON p.id = c.assignee_id
LEFT JOIN cases dup ON dup.id = c.duplicate_of
WHERE c.closed_at IS NULL;

COMMENT ON VIEW analyst_open_cases IS
  'Open cases (closed_at IS NULL; likely duplicates too, status linked) with area, category, department and assignee names, deadlines and overdue flags; no reporter data. Point, EPSG:4326.';
COMMENT ON COLUMN analyst_open_cases.accept_overdue IS 'not accepted (and not awaiting verification) and the deadline to accept has passed, now';
COMMENT ON COLUMN analyst_open_cases.resolve_overdue IS 'the deadline to resolve has passed, now (the evaluation''s "overdue now")';

-- Per grid, what the evaluation would count (likely duplicates and merged cases left out): open
-- cases, those of them overdue now (resolve deadline passed), cases received in the last 30 days
-- (by report time, rejected ones included), and cases closed in the last 30 days. Every grid has a
-- row, zeros included, so that a choropleth covers the whole district.
CREATE VIEW analyst_grid_figures AS
SELECT g.code AS grid_code,
       g.name AS grid_name,
       g.community_code,
       m.name AS community_name,
       g.street_code,
       s.name AS street_name,
       coalesce(f.open_cases, 0) AS open_cases,
       coalesce(f.overdue_now, 0) AS overdue_now,
       coalesce(f.received_30d, 0) AS received_30d,
       coalesce(f.closed_30d, 0) AS closed_30d,
       g.area_m2,
       g.geom::geometry(MultiPolygon, 4326) AS geom
FROM grids g
JOIN communities m ON m.code = g.community_code
JOIN streets s ON s.code = g.street_code
LEFT JOIN (
  SELECT c.grid_code,
         count(*) FILTER (WHERE c.closed_at IS NULL)::int AS open_cases,
         count(*) FILTER (WHERE c.closed_at IS NULL AND c.resolve_due_at < now())::int AS overdue_now,
         count(*) FILTER (WHERE c.reported_at >= now() - interval '30 days' AND c.reported_at <= now())::int AS received_30d,
         count(*) FILTER (WHERE c.status = 'closed' AND c.closed_at >= now() - interval '30 days' AND c.closed_at <= now())::int AS closed_30d
  FROM cases c
  WHERE c.grid_code IS NOT NULL
    AND c.duplicate_of IS NULL AND c.status NOT IN ('linked', 'merged')
    AND (c.closed_at IS NULL OR c.closed_at >= now() - interval '30 days' OR c.reported_at >= now() - interval '30 days')
  GROUP BY c.grid_code
) f ON f.grid_code = g.code;

COMMENT ON VIEW analyst_grid_figures IS
  'Per grid: open cases, overdue now, received and closed in the last 30 days (likely duplicates and merged cases left out). MultiPolygon, EPSG:4326.';

-- The read-only role, made once per cluster (roles are cluster-wide) and granted in each database.
-- A migrating user without CREATEROLE skips it with a notice (the server still starts): an
-- administrator then runs `CREATE ROLE grid_command_analyst NOLOGIN` and the GRANT below by hand.
-- The embedded store (PGlite) supports roles too; it is single-user, so there the role only keeps
-- the schema the same.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'grid_command_analyst') THEN
    IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
      RAISE NOTICE 'grid_command_analyst not created: % may not create roles', current_user;
      RETURN;
    END IF;
    BEGIN
      CREATE ROLE grid_command_analyst NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database of this cluster made it meanwhile
    END;
  END IF;
  GRANT SELECT ON analyst_open_cases, analyst_grid_figures, districts, streets, communities, grids TO grid_command_analyst;
END
$$;
