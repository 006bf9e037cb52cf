-- Two-way evaluation (上行/下行), each half year: streets and communities rate the departments that
-- serve them ('area-rates-department'), and departments rate the streets and communities
-- ('department-rates-area'). One form per rater, area and department in a period; submitting again
-- replaces the rater's own form. The area is a street or community code, kept as text (like a
-- case's grid) so that redrawing the geography never rewrites past evaluations.

CREATE TABLE mutual_ratings (
  period          text NOT NULL CHECK (period ~ '^[0-9]{4}H[12]$'),
  direction       text NOT NULL CHECK (direction IN ('area-rates-department', 'department-rates-area')),
  area_code       text NOT NULL CHECK (area_code ~ '^([0-9]{9}|[0-9]{12})$'),
  department_code text NOT NULL REFERENCES departments (code),
  -- The rater's account id.
  rater           text NOT NULL CHECK (length(rater) BETWEEN 1 AND 100),
  score           smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
  comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  at              timestamptz NOT NULL,
  UNIQUE (period, direction, area_code, department_code, rater)
);
CREATE INDEX mutual_ratings_department ON mutual_ratings (period, direction, department_code);
