-- Dispatch asks, for each (grid, department) of an intake batch, who of that department serves that
-- grid. Through assignments (grid) alone it read each of the grid's ~14 people (one per department)
-- from personnel to test the department: ~50 µs of the database's CPU per case under bench:ingest,
-- the third largest cost of an intake batch. Kept beside the assignment and indexed with the grid,
-- the department is one probe away (a batch of 500: 24 ms before, 5 ms after).
--
-- The department is the person's own, never typed in: a trigger copies it from personnel on insert
-- (so every writer, and an analyst's INSERT, stays correct without naming it), and the composite key
-- follows a person moved to another department (ON UPDATE CASCADE). An unknown person leaves it
-- NULL, which the composite key lets through and the key on person_id refuses as before.
ALTER TABLE personnel ADD CONSTRAINT personnel_id_department UNIQUE (id, department_code);
ALTER TABLE assignments ADD COLUMN department_code text;
UPDATE assignments a SET department_code = p.department_code FROM personnel p WHERE p.id = a.person_id;
ALTER TABLE assignments ADD CONSTRAINT assignments_person_department_fkey
  FOREIGN KEY (person_id, department_code) REFERENCES personnel (id, department_code) ON UPDATE CASCADE ON DELETE CASCADE;

CREATE FUNCTION assignment_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.department_code := (SELECT department_code FROM personnel WHERE id = NEW.person_id);
  RETURN NEW;
END $$;
CREATE TRIGGER assignment_department BEFORE INSERT OR UPDATE OF person_id, department_code ON assignments
  FOR EACH ROW EXECUTE FUNCTION assignment_department();

DROP INDEX assignments_grid;
CREATE INDEX assignments_grid_department ON assignments (grid_code, department_code) INCLUDE (person_id);
