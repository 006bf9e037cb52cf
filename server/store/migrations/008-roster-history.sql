-- People who leave the roster stay as rows, off the roster: the cases they once held keep pointing
-- at them (the audit folds every case's queue and assignee from its events, and a closed case of a
-- departed person must still match its row), and timelines keep their names. They serve no grid,
-- count in no figure, and cannot be dispatched to.
ALTER TABLE personnel ADD COLUMN on_roster boolean NOT NULL DEFAULT true;
CREATE INDEX personnel_on_roster ON personnel (on_roster) WHERE NOT on_roster;
