import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationFigures } from '../../core/evaluation/evaluation-figures.ts';
import type { MutualRatingForm } from '../../core/evaluation/mutual-rating.ts';
import { InvalidMutualRatingError, type EvaluationQuery, type SubmittedMutualRating } from '../../server/store/evaluation.repository.ts';
import type { SqlClient } from '../../server/store/sql-client.ts';
import { storeDrivers } from '../fixtures/drivers.ts';
import { openTestStore, type Driver, type TestStore } from '../fixtures/test-databases.ts';

// A hand-made month of cases in the seeded store, every figure worked out by hand below.
//
// Window: March 2026 in Beijing, [2026-03-01T00:00+08:00, 2026-04-01T00:00+08:00); now: 2026-04-10T00:00Z.
// Places and people are real codes of the seeded store, found by query: street S with communities
// C1 (grids G1, G2) and C2 (grid G3); the next street S2 with grid G4 (in community C4); departments
// D1, D2; people P1, P3 of D1 and P2 of D2. Times: minutes after the report (accepted, closed, due).
//
// case place dept person        status     reported           accept close  due   rework rating  counts as
// c1   G1    D1   P1            closed     Mar 2 00:00Z       10     100    120                5      on time
// c2   G1    D1   P1            closed     Mar 3              20     300    120   1      3      late, reworked
// c3   G1    D1   P1            handling   Mar 4              30            120                  overdue now
// c4   G1    D1   P1            rejected   Mar 5                     (5)    120                  received, not due
// c5   G1    D1   P1            linked → c1 Mar 6                            120                  duplicate: nothing
// c6   G2    D2   P2            closed     Mar 7              40     60     none                 on time (no deadline)
// c7   G2    D2   P2            closed     Mar 8              50     500    600   2      4      on time, reworked
// c8   G3    D1   P1            dispatched Feb 20 (before)                  Feb 21               overdue now only
// c9   G3    D1   P3 (self)     closed     Mar 9              0      15     60                 2      on time
// c10  G3    D1   P1            dispatched Apr 5 (after)                    Apr 20               nothing
// c11  G4    D2   P2            closed     Mar 10             5      25     30                 1      on time
// c12  G4    D2   (queue)       queued     Mar 11                           60                   overdue now
// c13  G4    D2   P2            merged → c11 Mar 12                                               duplicate: nothing
// c14  G4    D1   P3            closed Apr 12 (after now) Mar 12  10          60                   open at now: overdue now
// c15  (unrouted) D1 (queue)    queued     Mar 13                           60                   district only, overdue now

const FROM = new Date('2026-02-28T16:00:00Z');
const TO = new Date('2026-03-31T16:00:00Z');
const NOW = new Date('2026-04-10T00:00:00Z');

interface Places {
  S: string; S2: string; C1: string; C2: string; C4: string; G1: string; G2: string; G3: string; G4: string;
  D1: string; D2: string; P1: string; P2: string; P3: string;
  categoryOf: Record<string, string>;
  names: Map<string, string>;
}

async function findPlaces(sql: SqlClient): Promise<Places> {
  const [c1] = await sql.query<{ code: string; street_code: string }>(
    'SELECT c.code, c.street_code FROM communities c WHERE (SELECT count(*) FROM grids g WHERE g.community_code = c.code) >= 2 ORDER BY c.code LIMIT 1',
  );
  const S = c1!.street_code;
  const [g1, g2] = await sql.query<{ code: string }>('SELECT code FROM grids WHERE community_code = $1 ORDER BY code LIMIT 2', [c1!.code]);
  const [c2] = await sql.query<{ code: string }>('SELECT code FROM communities WHERE street_code = $1 AND code <> $2 ORDER BY code LIMIT 1', [S, c1!.code]);
  const [g3] = await sql.query<{ code: string }>('SELECT code FROM grids WHERE community_code = $1 ORDER BY code LIMIT 1', [c2!.code]);
  const [s2] = await sql.query<{ code: string }>('SELECT min(code) AS code FROM streets WHERE code > $1', [S]);
  const [g4] = await sql.query<{ code: string; community_code: string }>('SELECT code, community_code FROM grids WHERE street_code = $1 ORDER BY code LIMIT 1', [s2!.code]);
  const departments = await sql.query<{ code: string; category: string }>(
    `SELECT d.code, (SELECT min(k.code) FROM categories k WHERE k.department_code = d.code) AS category FROM departments d
     WHERE EXISTS (SELECT 1 FROM categories k WHERE k.department_code = d.code)
       AND (SELECT count(*) FROM personnel p WHERE p.department_code = d.code) >= 2
     ORDER BY d.sort_order LIMIT 2`,
  );
  const [d1, d2] = departments;
  const [p1, p3] = await sql.query<{ id: string }>('SELECT id FROM personnel WHERE department_code = $1 ORDER BY id LIMIT 2', [d1!.code]);
  const [p2] = await sql.query<{ id: string }>('SELECT id FROM personnel WHERE department_code = $1 ORDER BY id LIMIT 1', [d2!.code]);
  const names = await sql.query<{ code: string; name: string }>(
    `SELECT code, name FROM districts UNION ALL SELECT code, name FROM streets UNION ALL SELECT code, name FROM communities
     UNION ALL SELECT code, name FROM grids UNION ALL SELECT code, name_zh FROM departments UNION ALL SELECT id, name FROM personnel`,
  );
  return {
    S, S2: s2!.code, C1: c1!.code, C2: c2!.code, C4: g4!.community_code, G1: g1!.code, G2: g2!.code, G3: g3!.code, G4: g4!.code,
    D1: d1!.code, D2: d2!.code, P1: p1!.id, P2: p2!.id, P3: p3!.id,
    categoryOf: Object.fromEntries(departments.map((d) => [d.code, d.category])),
    names: new Map(names.map((n) => [n.code, n.name])),
  };
}

const day = (d: number): string => `2026-03-${String(d).padStart(2, '0')}T00:00:00Z`;
const plus = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

interface CaseSeed {
  readonly ref: string;
  readonly grid: string | null;
  readonly department: string;
  readonly status: string;
  readonly reportedAt: string;
  readonly assignee?: string;
  readonly handler?: string;
  readonly selfHandled?: boolean;
  readonly acceptedAt?: string;
  readonly closedAt?: string;
  readonly resolveDueAt?: string;
  readonly rework?: number;
  readonly rating?: number;
  readonly duplicateOf?: string;
}

function caseSeeds(p: Places): CaseSeed[] {
  const at = (d: number, overrides: Omit<CaseSeed, 'reportedAt'> & { accept?: number; close?: number; due?: number }): CaseSeed => {
    const reportedAt = day(d);
    const { accept, close, due, ...rest } = overrides;
    return {
      reportedAt,
      ...(accept !== undefined ? { acceptedAt: plus(reportedAt, accept) } : {}),
      ...(close !== undefined ? { closedAt: plus(reportedAt, close) } : {}),
      ...(due !== undefined ? { resolveDueAt: plus(reportedAt, due) } : {}),
      ...rest,
    };
  };
  return [
    at(2, { ref: 'c1', grid: p.G1, department: p.D1, assignee: p.P1, status: 'closed', accept: 10, close: 100, due: 120, rating: 5 }),
    at(3, { ref: 'c2', grid: p.G1, department: p.D1, assignee: p.P1, status: 'closed', accept: 20, close: 300, due: 120, rework: 1, rating: 3 }),
    at(4, { ref: 'c3', grid: p.G1, department: p.D1, assignee: p.P1, status: 'handling', accept: 30, due: 120 }),
    at(5, { ref: 'c4', grid: p.G1, department: p.D1, assignee: p.P1, status: 'rejected', close: 5, due: 120 }),
    at(6, { ref: 'c5', grid: p.G1, department: p.D1, assignee: p.P1, status: 'linked', due: 120, duplicateOf: 'c1' }),
    at(7, { ref: 'c6', grid: p.G2, department: p.D2, assignee: p.P2, status: 'closed', accept: 40, close: 60 }),
    at(8, { ref: 'c7', grid: p.G2, department: p.D2, assignee: p.P2, status: 'closed', accept: 50, close: 500, due: 600, rework: 2, rating: 4 }),
    { ref: 'c8', grid: p.G3, department: p.D1, assignee: p.P1, status: 'dispatched', reportedAt: '2026-02-20T00:00:00Z', resolveDueAt: '2026-02-21T00:00:00Z' },
    at(9, { ref: 'c9', grid: p.G3, department: p.D1, handler: p.P3, selfHandled: true, status: 'closed', accept: 0, close: 15, due: 60, rating: 2 }),
    { ref: 'c10', grid: p.G3, department: p.D1, assignee: p.P1, status: 'dispatched', reportedAt: '2026-04-05T00:00:00Z', resolveDueAt: '2026-04-20T00:00:00Z' },
    at(10, { ref: 'c11', grid: p.G4, department: p.D2, assignee: p.P2, status: 'closed', accept: 5, close: 25, due: 30, rating: 1 }),
    at(11, { ref: 'c12', grid: p.G4, department: p.D2, status: 'queued', due: 60 }),
    at(12, { ref: 'c13', grid: p.G4, department: p.D2, assignee: p.P2, status: 'merged', duplicateOf: 'c11' }),
    at(12, { ref: 'c14', grid: p.G4, department: p.D1, assignee: p.P3, status: 'closed', accept: 10, closedAt: '2026-04-12T00:00:00Z', due: 60 }),
    at(13, { ref: 'c15', grid: null, department: p.D1, status: 'queued', due: 60 }),
  ];
}

async function insertCases(sql: SqlClient, p: Places): Promise<void> {
  const ids = new Map<string, number>();
  for (const [i, c] of caseSeeds(p).entries()) {
    const rows = await sql.query<{ id: number }>(
      `INSERT INTO cases (case_number, report_id, category_code, geom, grid_code, community_code, street_code, status, severity, channel,
                          assignee_id, handler_id, self_handled, department_code, reported_at, accepted_at, closed_at, resolve_due_at,
                          rework_count, rating, duplicate_of)
       SELECT $1, $2, $3, coalesce((SELECT ST_PointOnSurface(geom) FROM grids WHERE code = $4::text), ST_SetSRID(ST_MakePoint(116.0, 39.5), 4326)),
              $4::text, left($4::text, 12), left($4::text, 9), $5, 2, 'patrol', $6, $7, $8, $9, $10::timestamptz, $11::timestamptz, $12::timestamptz,
              $13::timestamptz, $14, $15, $16
       RETURNING id`,
      [
        `EV20260301-${String(i + 1).padStart(7, '0')}`, `evaluation-${c.ref}`, p.categoryOf[c.department], c.grid, c.status,
        c.assignee ?? null, c.handler ?? null, c.selfHandled ?? false, c.department, c.reportedAt, c.acceptedAt ?? null, c.closedAt ?? null,
        c.resolveDueAt ?? null, c.rework ?? 0, c.rating ?? null, c.duplicateOf ? ids.get(c.duplicateOf)! : null,
      ],
    );
    ids.set(c.ref, rows[0]!.id);
  }
}

type Figures = Omit<EvaluationFigures, 'key' | 'name'>;

/** The expected row for `key`, its name from the seeded tables. */
function expectedRow(p: Places, key: string, figures: Figures): EvaluationFigures {
  return { key, name: p.names.get(key) ?? null, ...figures };
}

const byKey = (rows: EvaluationFigures[]): EvaluationFigures[] => [...rows].sort((a, b) => (a.key < b.key ? -1 : 1));

// Worked by hand from the table above. Percentiles are interpolated (percentile_cont):
// p over n sorted values sits at position p × (n − 1).
const FIGURES = {
  // All 11 received (c1–c4, c6, c7, c9, c11, c12, c14, c15); c4 rejected → 10 due; closed c1, c2, c6, c7, c9, c11;
  // on time all but c2; reworked c2, c7. Accept [0, 5, 10, 10, 20, 30, 40, 50]: median 15, p90 at 6.3 → 40 + 0.3 × 10 = 43.
  // Close [15, 25, 60, 100, 300, 500]: median 80, p90 at 4.5 → 400. Overdue c3, c8, c12, c14, c15. Ratings 5, 3, 4, 2, 1.
  // Score 40 × 0.6 + 40 × 5/6 + 20 × (3 − 1)/4 = 24 + 33.33 + 10 = 67.33.
  district: {
    received: 11, dueToClose: 10, closed: 6, closureRate: 0.6, onTimeClosed: 5, onTimeClosureRate: 5 / 6, reworked: 2, reworkRate: 2 / 6,
    acceptMinutesMedian: 15, acceptMinutesP90: 43, closeMinutesMedian: 80, closeMinutesP90: 400, overdueNow: 5, meanRating: 3, ratings: 5, score: 67.33, grade: 'C',
  },
  // c1, c2, c3, c4, c6, c7, c9 (c8 overdue only). Accept [0, 10, 20, 30, 40, 50]: 25, p90 at 4.5 → 45.
  // Close [15, 60, 100, 300, 500]: 100, p90 at 3.6 → 300 + 0.6 × 200 = 420. Score 40 × 5/6 + 40 × 0.8 + 20 × 2.5/4 = 77.83.
  S: {
    received: 7, dueToClose: 6, closed: 5, closureRate: 5 / 6, onTimeClosed: 4, onTimeClosureRate: 0.8, reworked: 2, reworkRate: 0.4,
    acceptMinutesMedian: 25, acceptMinutesP90: 45, closeMinutesMedian: 100, closeMinutesP90: 420, overdueNow: 2, meanRating: 3.5, ratings: 4, score: 77.83, grade: 'B',
  },
  // c11, c12, c14 (c14 closes after now: open, overdue). Accept [5, 10]: 7.5, p90 at 0.9 → 9.5. Score 40/3 + 40 + 0 = 53.33.
  S2: {
    received: 3, dueToClose: 3, closed: 1, closureRate: 1 / 3, onTimeClosed: 1, onTimeClosureRate: 1, reworked: 0, reworkRate: 0,
    acceptMinutesMedian: 7.5, acceptMinutesP90: 9.5, closeMinutesMedian: 25, closeMinutesP90: 25, overdueNow: 2, meanRating: 1, ratings: 1, score: 53.33, grade: 'D',
  },
  // c1, c2, c3, c4, c6, c7. Accept [10, 20, 30, 40, 50]: 30, p90 at 3.6 → 46. Close [60, 100, 300, 500]: 200, p90 at 2.7 → 440.
  // Score 40 × 0.8 + 40 × 0.75 + 20 × 0.75 = 77.
  C1: {
    received: 6, dueToClose: 5, closed: 4, closureRate: 0.8, onTimeClosed: 3, onTimeClosureRate: 0.75, reworked: 2, reworkRate: 0.5,
    acceptMinutesMedian: 30, acceptMinutesP90: 46, closeMinutesMedian: 200, closeMinutesP90: 440, overdueNow: 1, meanRating: 4, ratings: 3, score: 77, grade: 'B',
  },
  // c9 (and c8 overdue). Score 40 + 40 + 20 × 0.25 = 85.
  C2: {
    received: 1, dueToClose: 1, closed: 1, closureRate: 1, onTimeClosed: 1, onTimeClosureRate: 1, reworked: 0, reworkRate: 0,
    acceptMinutesMedian: 0, acceptMinutesP90: 0, closeMinutesMedian: 15, closeMinutesP90: 15, overdueNow: 1, meanRating: 2, ratings: 1, score: 85, grade: 'B',
  },
  // c1–c4. Accept [10, 20, 30]: 20, p90 at 1.8 → 28. Close [100, 300]: 200, p90 at 0.9 → 280. Score 40 × 2/3 + 40 × 0.5 + 15 = 61.67.
  G1: {
    received: 4, dueToClose: 3, closed: 2, closureRate: 2 / 3, onTimeClosed: 1, onTimeClosureRate: 0.5, reworked: 1, reworkRate: 0.5,
    acceptMinutesMedian: 20, acceptMinutesP90: 28, closeMinutesMedian: 200, closeMinutesP90: 280, overdueNow: 1, meanRating: 4, ratings: 2, score: 61.67, grade: 'C',
  },
  // c6, c7. Accept [40, 50]: 45, 49. Close [60, 500]: 280, 60 + 0.9 × 440 = 456. Score 40 + 40 + 15 = 95.
  G2: {
    received: 2, dueToClose: 2, closed: 2, closureRate: 1, onTimeClosed: 2, onTimeClosureRate: 1, reworked: 1, reworkRate: 0.5,
    acceptMinutesMedian: 45, acceptMinutesP90: 49, closeMinutesMedian: 280, closeMinutesP90: 456, overdueNow: 0, meanRating: 4, ratings: 1, score: 95, grade: 'A',
  },
  // c1, c2, c3, c4, c9, c14, c15 (and c8 overdue). Accept [0, 10, 10, 20, 30]: 10, p90 at 3.6 → 26. Close [15, 100, 300]: 100, p90 at 1.8 → 260.
  // Ratings 5, 3, 2. Score 10 (7 cases) + 30 × 0.5 + 30 × 2/3 + 30 × (1 − 1/3) = 65.
  D1: {
    received: 7, dueToClose: 6, closed: 3, closureRate: 0.5, onTimeClosed: 2, onTimeClosureRate: 2 / 3, reworked: 1, reworkRate: 1 / 3,
    acceptMinutesMedian: 10, acceptMinutesP90: 26, closeMinutesMedian: 100, closeMinutesP90: 260, overdueNow: 4, meanRating: 10 / 3, ratings: 3, score: 65, grade: 'C',
  },
  // c6, c7, c11, c12. Accept [5, 40, 50]: 40, p90 at 1.8 → 48. Close [25, 60, 500]: 60, p90 at 1.8 → 412.
  // Score 10 + 30 × 0.75 + 30 × 1 + 30 × (1 − 1/3) = 82.5.
  D2: {
    received: 4, dueToClose: 4, closed: 3, closureRate: 0.75, onTimeClosed: 3, onTimeClosureRate: 1, reworked: 1, reworkRate: 1 / 3,
    acceptMinutesMedian: 40, acceptMinutesP90: 48, closeMinutesMedian: 60, closeMinutesP90: 412, overdueNow: 1, meanRating: 2.5, ratings: 2, score: 82.5, grade: 'B',
  },
  // c6, c7, c11: as D2 without c12. Score (area formula) 40 + 40 + 20 × 1.5/4 = 87.5.
  P2: {
    received: 3, dueToClose: 3, closed: 3, closureRate: 1, onTimeClosed: 3, onTimeClosureRate: 1, reworked: 1, reworkRate: 1 / 3,
    acceptMinutesMedian: 40, acceptMinutesP90: 48, closeMinutesMedian: 60, closeMinutesP90: 412, overdueNow: 0, meanRating: 2.5, ratings: 2, score: 87.5, grade: 'B',
  },
  // c9 (handled on the spot) and c14. Accept [0, 10]: 5, 9. Score 40 × 0.5 + 40 + 5 = 65.
  P3: {
    received: 2, dueToClose: 2, closed: 1, closureRate: 0.5, onTimeClosed: 1, onTimeClosureRate: 1, reworked: 0, reworkRate: 0,
    acceptMinutesMedian: 5, acceptMinutesP90: 9, closeMinutesMedian: 15, closeMinutesP90: 15, overdueNow: 1, meanRating: 2, ratings: 1, score: 65, grade: 'C',
  },
} satisfies Record<string, Figures>;

const drivers = storeDrivers();

describe('evaluation figures on hand-made cases', () => {
  const dbs = new Map<Driver, TestStore>();
  let p: Places;
  beforeAll(async () => {
    for (const driver of drivers) {
      const db = await openTestStore(driver);
      dbs.set(driver, db);
      const places = await findPlaces(db.sql);
      await insertCases(db.sql, places);
      p = places;
    }
  });
  afterAll(async () => {
    for (const db of dbs.values()) await db.dispose();
  });

  const figures = (driver: Driver, query: Partial<EvaluationQuery> & Pick<EvaluationQuery, 'groupBy'>): Promise<EvaluationFigures[]> =>
    dbs.get(driver)!.store.evaluation.figures({ from: FROM, to: TO, now: NOW, ...query });

  describe.each(drivers)('on %s', (driver) => {
    it('finds the same places in the seeded store as every other driver, each where the table says', () => {
      expect([p.G1, p.G2].every((g) => g.startsWith(p.C1))).toBe(true);
      expect(p.G3.startsWith(p.C2) && p.C1.startsWith(p.S) && p.C2.startsWith(p.S) && p.G4.startsWith(p.S2) && p.S < p.S2).toBe(true);
      expect(new Set([p.P1, p.P2, p.P3]).size).toBe(3);
    });

    it('counts the district, unrouted cases included', async () => {
      expect(await figures(driver, { groupBy: 'district' })).toEqual([expectedRow(p, '110108', FIGURES.district)]);
    });

    it('counts each street', async () => {
      expect(await figures(driver, { groupBy: 'street' })).toEqual([expectedRow(p, p.S, FIGURES.S), expectedRow(p, p.S2, FIGURES.S2)]);
    });

    it('counts each community; a community with only an overdue old case still appears', async () => {
      expect(await figures(driver, { groupBy: 'community' })).toEqual(
        byKey([expectedRow(p, p.C1, FIGURES.C1), expectedRow(p, p.C2, FIGURES.C2), expectedRow(p, p.C4, FIGURES.S2)]),
      );
    });

    it('counts each grid', async () => {
      expect(await figures(driver, { groupBy: 'grid' })).toEqual(
        byKey([expectedRow(p, p.G1, FIGURES.G1), expectedRow(p, p.G2, FIGURES.G2), expectedRow(p, p.G3, FIGURES.C2), expectedRow(p, p.G4, FIGURES.S2)]),
      );
    });

    it('counts each department with its own formula (volume, closure, on time, rework)', async () => {
      expect(await figures(driver, { groupBy: 'department' })).toEqual(byKey([expectedRow(p, p.D1, FIGURES.D1), expectedRow(p, p.D2, FIGURES.D2)]));
    });

    it('counts each person by assignee, or by handler when handled on the spot; queued cases belong to nobody', async () => {
      expect(await figures(driver, { groupBy: 'person' })).toEqual(
        // P1: c1–c4 as grid G1, and c8 overdue too.
        byKey([expectedRow(p, p.P1, { ...FIGURES.G1, overdueNow: 2 }), expectedRow(p, p.P2, FIGURES.P2), expectedRow(p, p.P3, FIGURES.P3)]),
      );
    });

    it('filters by area: communities within street S', async () => {
      expect(await figures(driver, { groupBy: 'community', within: p.S })).toEqual(byKey([expectedRow(p, p.C1, FIGURES.C1), expectedRow(p, p.C2, FIGURES.C2)]));
      expect(await figures(driver, { groupBy: 'district', within: '110108' })).toEqual([expectedRow(p, '110108', FIGURES.district)]);
    });

    it('filters by department: streets for D2 only', async () => {
      expect(await figures(driver, { groupBy: 'street', departmentCode: p.D2 })).toEqual([
        // c6, c7: as grid G2.
        expectedRow(p, p.S, FIGURES.G2),
        // c11, c12. Accept [5], close [25], overdue c12. Score 40 × 0.5 + 40 + 0 = 60.
        expectedRow(p, p.S2, {
          received: 2, dueToClose: 2, closed: 1, closureRate: 0.5, onTimeClosed: 1, onTimeClosureRate: 1, reworked: 0, reworkRate: 0,
          acceptMinutesMedian: 5, acceptMinutesP90: 5, closeMinutesMedian: 25, closeMinutesP90: 25, overdueNow: 1, meanRating: 1, ratings: 1, score: 60, grade: 'C',
        }),
      ]);
    });

    it('scores a department within one grid by the department formula', async () => {
      // G1's figures; 10 + 30 × 2/3 + 30 × 0.5 + 30 × 0.5 = 60.
      expect(await figures(driver, { groupBy: 'department', within: p.G1 })).toEqual([expectedRow(p, p.D1, { ...FIGURES.G1, score: 60, grade: 'C' })]);
    });

    it('counts everything as known at now: cases reported later, and closures after, do not count yet', async () => {
      // now = Mar 3 03:00Z in grid G1: c1 reported, closed (01:40 on Mar 2) and rated; c2 reported at 00:00, accepted at
      // 00:20, due at 02:00, closed only at 05:00: open and overdue, its rework and rating not yet known; c3, c4 not yet
      // reported. Accept [10, 20]: 15, p90 19. Score 40 × 0.5 + 40 × 1 + 20 × 1 = 80.
      expect(await figures(driver, { groupBy: 'grid', within: p.G1, now: new Date('2026-03-03T03:00:00Z') })).toEqual([
        expectedRow(p, p.G1, {
          received: 2, dueToClose: 2, closed: 1, closureRate: 0.5, onTimeClosed: 1, onTimeClosureRate: 1, reworked: 0, reworkRate: 0,
          acceptMinutesMedian: 15, acceptMinutesP90: 19, closeMinutesMedian: 100, closeMinutesP90: 100, overdueNow: 1, meanRating: 5, ratings: 1, score: 80, grade: 'B',
        }),
      ]);
      // At 01:30 c2 is open but not yet overdue.
      const early = await figures(driver, { groupBy: 'grid', within: p.G1, now: new Date('2026-03-03T01:30:00Z') });
      expect(early.map((r) => [r.received, r.closed, r.overdueNow])).toEqual([[2, 1, 0]]);
    });

    it('gives no rows for a window with no cases and nothing overdue', async () => {
      expect(await figures(driver, { groupBy: 'street', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z'), now: new Date('2025-02-01T00:00:00Z') })).toEqual([]);
    });

    it('refuses a within code that is no area code, or finer than the grouping', async () => {
      await expect(figures(driver, { groupBy: 'street', within: "1' OR '1'='1" })).rejects.toThrow(RangeError);
      await expect(figures(driver, { groupBy: 'street', within: p.G1 })).rejects.toThrow(/cannot group by street within a grid/);
    });
  });

  it.runIf(drivers.length > 1)('both drivers return identical figures for every grouping and filter', async () => {
    const queries: (Partial<EvaluationQuery> & Pick<EvaluationQuery, 'groupBy'>)[] = [
      ...(['district', 'street', 'community', 'grid', 'department', 'person'] as const).map((groupBy) => ({ groupBy })),
      { groupBy: 'person', within: p.S },
      { groupBy: 'grid', departmentCode: p.D1 },
      { groupBy: 'department', now: new Date('2026-03-09T00:10:00Z') },
    ];
    for (const query of queries) {
      const [a, b] = await Promise.all(drivers.map((driver) => figures(driver, query)));
      expect(a, JSON.stringify(query)).toEqual(b);
      expect(a!.length, JSON.stringify(query)).toBeGreaterThan(0);
    }
  });
});

describe('two-way evaluation (上行/下行)', () => {
  const dbs = new Map<Driver, TestStore>();
  const submissions = new Map<Driver, SubmittedMutualRating[]>();
  let p: Places;
  const AT = new Date('2026-04-10T00:00:00Z'); // in 2026H1

  function form(overrides: Partial<MutualRatingForm>): MutualRatingForm {
    return { period: '2026H1', direction: 'area-rates-department', areaCode: p.S, departmentCode: p.D1, rater: 'r1', score: 90, comment: '', ...overrides };
  }

  beforeAll(async () => {
    for (const driver of drivers) {
      const db = await openTestStore(driver);
      dbs.set(driver, db);
      p = await findPlaces(db.sql);
      const submit = (f: Partial<MutualRatingForm>) => db.store.evaluation.submitMutualRating(form(f), AT);
      // S rates D1: r1 90 then 95 (replacing it), r2 80, r3 70; C1 rates D1: r4 100; S rates D2: r1 50, r2 60.
      submissions.set(driver, [await submit({ rater: 'r1', score: 90 }), await submit({ rater: 'r1', score: 95, comment: '及时' })]);
      await submit({ rater: 'r2', score: 80 });
      await submit({ rater: 'r3', score: 70 });
      await submit({ rater: 'r4', score: 100, areaCode: p.C1 });
      await submit({ rater: 'r1', score: 50, departmentCode: p.D2 });
      await submit({ rater: 'r2', score: 60, departmentCode: p.D2 });
      // The other way, and another period: neither counts in 2026H1 area-rates-department.
      await submit({ direction: 'department-rates-area', rater: 'd1-staff', score: 77 });
      await submit({ period: '2025H2', rater: 'r1', score: 10 });
    }
  });
  afterAll(async () => {
    for (const db of dbs.values()) await db.dispose();
  });

  describe.each(drivers)('on %s', (driver) => {
    const evaluation = () => dbs.get(driver)!.store.evaluation;

    it("replaces a rater's own form within the period, and says so", async () => {
      const rating = { period: '2026H1', direction: 'area-rates-department', areaCode: p.S, departmentCode: p.D1, rater: 'r1', at: AT.toISOString() };
      expect(submissions.get(driver)).toEqual([
        { replaced: false, rating: { ...rating, score: 90, comment: '' } },
        { replaced: true, rating: { ...rating, score: 95, comment: '及时' } },
      ]);
      const rows = await dbs.get(driver)!.sql.query<{ score: number }>(
        "SELECT score FROM mutual_ratings WHERE rater = 'r1' AND period = '2026H1' AND area_code = $1 AND department_code = $2 AND direction = 'area-rates-department'",
        [p.S, p.D1],
      );
      expect(rows).toEqual([{ score: 95 }]);
    });

    it('aggregates per department by default for area-rates-department, null below three ratings', async () => {
      // D1: 95, 80, 70, 100 → 86.25 (B); D2: 50, 60 → only 2 ratings.
      expect(await evaluation().mutualScores({ period: '2026H1', direction: 'area-rates-department' })).toEqual([
        { areaCode: null, areaName: null, departmentCode: p.D1, departmentName: p.names.get(p.D1), ratings: 4, meanScore: 86.25, grade: 'B' },
        { areaCode: null, areaName: null, departmentCode: p.D2, departmentName: p.names.get(p.D2), ratings: 2, meanScore: null, grade: null },
      ].sort((a, b) => (a.departmentCode < b.departmentCode ? -1 : 1)));
    });

    it('aggregates per pair and per area, with the minimum number of ratings chosen', async () => {
      // (S, D1): 95, 80, 70 → 81.67 (B); (S, D2): 50, 60 → 55 (D) with minRatings 2; (C1, D1): 100, one rating.
      const pairs = await evaluation().mutualScores({ period: '2026H1', direction: 'area-rates-department', by: 'pair', minRatings: 2 });
      const d1Name = p.names.get(p.D1)!;
      const d2Name = p.names.get(p.D2)!;
      expect(pairs).toEqual(
        [
          { areaCode: p.S, areaName: p.names.get(p.S), departmentCode: p.D1, departmentName: d1Name, ratings: 3, meanScore: 81.67, grade: 'B' },
          { areaCode: p.S, areaName: p.names.get(p.S), departmentCode: p.D2, departmentName: d2Name, ratings: 2, meanScore: 55, grade: 'D' },
          { areaCode: p.C1, areaName: p.names.get(p.C1), departmentCode: p.D1, departmentName: d1Name, ratings: 1, meanScore: null, grade: null },
        ].sort((a, b) => (a.areaCode !== b.areaCode ? (a.areaCode < b.areaCode ? -1 : 1) : a.departmentCode < b.departmentCode ? -1 : 1)),
      );
      // S: 95, 80, 70, 50, 60 → 71 (C); C1: one rating.
      expect(await evaluation().mutualScores({ period: '2026H1', direction: 'area-rates-department', by: 'area' })).toEqual([
        { areaCode: p.S, areaName: p.names.get(p.S), departmentCode: null, departmentName: null, ratings: 5, meanScore: 71, grade: 'C' },
        { areaCode: p.C1, areaName: p.names.get(p.C1), departmentCode: null, departmentName: null, ratings: 1, meanScore: null, grade: null },
      ].sort((a, b) => (a.areaCode < b.areaCode ? -1 : 1)));
    });

    it('keeps the directions and periods apart', async () => {
      expect(await evaluation().mutualScores({ period: '2026H1', direction: 'department-rates-area', minRatings: 1 })).toEqual([
        { areaCode: p.S, areaName: p.names.get(p.S), departmentCode: null, departmentName: null, ratings: 1, meanScore: 77, grade: 'B' },
      ]);
      expect(await evaluation().mutualScores({ period: '2024H2', direction: 'area-rates-department' })).toEqual([]);
    });

    it('refuses unknown areas and departments, bad periods, grids, and periods not yet begun, storing nothing', async () => {
      const count = async (): Promise<number> => (await dbs.get(driver)!.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM mutual_ratings'))[0]!.n;
      const before = await count();
      const cases: [Partial<MutualRatingForm>, string][] = [
        [{ areaCode: '110108999' }, 'areaCode'],
        [{ areaCode: p.G1 }, 'areaCode'],
        [{ departmentCode: 'no-such-department' }, 'departmentCode'],
        [{ period: '2026H3' }, 'period'],
        [{ period: '26H1' }, 'period'],
        [{ period: '2026H2' }, 'period'],
        [{ score: 101 }, 'score'],
        [{ rater: "r1'; DROP TABLE mutual_ratings; --" }, 'rater'],
      ];
      for (const [overrides, field] of cases) {
        const error = await evaluation().submitMutualRating(form(overrides), AT).catch((e: unknown) => e);
        expect(error, JSON.stringify(overrides)).toBeInstanceOf(InvalidMutualRatingError);
        expect((error as InvalidMutualRatingError).problems.map((x) => x.field)).toEqual([field]);
      }
      expect(await count()).toBe(before);
    });
  });
});
