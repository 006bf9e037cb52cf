-- Grid Command foundation schema: the area hierarchy, departments and people, the case catalogue,
-- and the case tables that later migrations build on. WGS-84 (EPSG:4326) everywhere, lon/lat order.

CREATE TABLE districts (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name        text NOT NULL,
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  area_m2     double precision NOT NULL
);

CREATE TABLE streets (
  code          text PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
  district_code text NOT NULL REFERENCES districts (code),
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('street', 'town')),
  geom          geometry(MultiPolygon, 4326) NOT NULL,
  area_m2       double precision NOT NULL,
  CHECK (left(code, 6) = district_code)
);

CREATE TABLE communities (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  street_code text NOT NULL REFERENCES streets (code),
  name        text NOT NULL,
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  area_m2     double precision NOT NULL,
  CHECK (left(code, 9) = street_code)
);

CREATE TABLE grids (
  code           text PRIMARY KEY CHECK (code ~ '^[0-9]{15}$'),
  community_code text NOT NULL REFERENCES communities (code),
  street_code    text NOT NULL REFERENCES streets (code),
  name           text NOT NULL,
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  area_m2        double precision NOT NULL,
  CHECK (left(code, 12) = community_code AND left(code, 9) = street_code)
);

CREATE INDEX districts_geom_gist ON districts USING gist (geom);
CREATE INDEX streets_geom_gist ON streets USING gist (geom);
CREATE INDEX communities_geom_gist ON communities USING gist (geom);
CREATE INDEX communities_street ON communities (street_code);
CREATE INDEX grids_geom_gist ON grids USING gist (geom);
CREATE INDEX grids_community ON grids (community_code);
CREATE INDEX grids_street ON grids (street_code);

-- Where the geography came from and which version of it is loaded; routers rebuild when it changes.
CREATE TABLE geography_meta (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  version     integer NOT NULL,
  source      text NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]*$'),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  duty_zh     text NOT NULL,
  duty_en     text NOT NULL,
  sort_order  integer NOT NULL
);

CREATE TABLE personnel (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  department_code text NOT NULL REFERENCES departments (code),
  street_code     text NOT NULL,
  duty_zh         text NOT NULL,
  duty_en         text NOT NULL,
  phone           text NOT NULL,
  on_duty         boolean NOT NULL DEFAULT true
);
CREATE INDEX personnel_department ON personnel (department_code);
CREATE INDEX personnel_street ON personnel (street_code);

-- One person per department per grid; a person may serve one grid (一人一格) or several (一人多格).
CREATE TABLE assignments (
  person_id   text NOT NULL REFERENCES personnel (id) ON DELETE CASCADE,
  grid_code   text NOT NULL REFERENCES grids (code) ON DELETE CASCADE,
  PRIMARY KEY (person_id, grid_code)
);
CREATE INDEX assignments_grid ON assignments (grid_code);

CREATE TABLE work_areas (
  code        text PRIMARY KEY,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  sort_order  integer NOT NULL
);

CREATE TABLE category_classes (
  code        text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('event', 'component', 'social')),
  name_zh     text NOT NULL,
  name_en     text NOT NULL
);

CREATE TABLE categories (
  code            text PRIMARY KEY CHECK (code ~ '^[ECS][0-9]{4}$'),
  kind            text NOT NULL CHECK (kind IN ('event', 'component', 'social')),
  class_code      text NOT NULL REFERENCES category_classes (code),
  work_area_code  text NOT NULL REFERENCES work_areas (code),
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  department_code text NOT NULL REFERENCES departments (code),
  severity        smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
  accept_minutes  integer NOT NULL CHECK (accept_minutes > 0),
  resolve_minutes integer NOT NULL CHECK (resolve_minutes > 0),
  working_time    boolean NOT NULL
);

-- Cases and their append-only event log. A case's grid is recorded as routed at the time (no
-- foreign key), so redrawing the grids never rewrites history; re-routing is an explicit act.
CREATE TABLE cases (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_number     text NOT NULL UNIQUE,
  report_id       text NOT NULL UNIQUE,
  category_code   text NOT NULL REFERENCES categories (code),
  geom            geometry(Point, 4326) NOT NULL,
  grid_code       text,
  community_code  text,
  street_code     text,
  status          text NOT NULL,
  severity        smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
  channel         text NOT NULL,
  description     text NOT NULL DEFAULT '',
  assignee_id     text REFERENCES personnel (id) ON DELETE SET NULL,
  reported_at     timestamptz NOT NULL,
  accept_due_at   timestamptz,
  resolve_due_at  timestamptz
);
CREATE INDEX cases_geom_gist ON cases USING gist (geom);
CREATE INDEX cases_grid ON cases (grid_code);
CREATE INDEX cases_status ON cases (status);

CREATE TABLE case_events (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  type        text NOT NULL,
  actor       text NOT NULL,
  at          timestamptz NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  prev_hash   text,
  hash        text NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, seq);
