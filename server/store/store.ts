import type { CaseEventMessage, CaseEventType, CaseStatus, CaseSummary } from '../../core/cases/case-summary.ts';
import type { CaseEvent } from '../../core/case-loop/case-events.ts';
import type { CaseState } from '../../core/case-loop/case-state.ts';
import type { Channel, Reporter } from '../../core/cases/report.ts';
import type { DispatchReason, Queue } from '../../core/dispatch/dispatch-decision.ts';
import type { BBox, LngLat, MultiPolygonRings } from '../../core/geo/lng-lat.ts';
import type { AreaLevel } from '../../core/geography/area-code.ts';
import type { StreetKind } from '../../core/geography/geography-types.ts';
import type { AreaInput } from '../../core/geography/validate-geography.ts';
import type { Catalogue, Department } from '../../core/catalogue/catalogue.ts';
import type { GridServant, RosterEntry } from '../../core/people/person.ts';
import type { GridDetails } from '../../core/protocol/http-api.ts';
import type { AccountsRepository } from './accounts.repository.ts';
import type { AnalyticsRepository } from './analytics.repository.ts';
import type { EvaluationRepository } from './evaluation.repository.ts';
import type { Open311KeysRepository } from './open311-keys.repository.ts';
import type { Open311RequestsRepository } from './open311-requests.repository.ts';
import type { OgcFeaturesRepository } from './ogc-features.repository.ts';
import type { HistoricImportRepository } from './historic-import.repository.ts';
import type { CaseExportRepository } from './case-export.repository.ts';
import type { StaffingRepository } from './staffing.repository.ts';

export interface GeographySet {
  readonly district: AreaInput;
  readonly streets: readonly (AreaInput & { readonly kind: StreetKind })[];
  readonly communities: readonly AreaInput[];
  readonly grids: readonly AreaInput[];
}

export interface GeographyVersion {
  readonly version: number;
  readonly source: string;
  readonly loadedAt: Date;
}

export interface ReplaceGeographyResult {
  readonly version: number;
  readonly counts: Readonly<Record<AreaLevel, number>>;
  /** Roster assignments kept because their grid code still exists, and those dropped. */
  readonly assignmentsKept: number;
  readonly assignmentsDropped: number;
}

export interface AreaQuery {
  /** Code of the enclosing area (a street for communities, a street or community for grids). */
  readonly parent?: string;
  readonly bbox?: BBox;
  readonly limit: number;
  readonly offset: number;
}

/** A feature query by code: one feature (the OGC API's items/{featureId}). */
export interface FeaturePageQuery extends AreaQuery {
  readonly code?: string;
}

/** One page of GeoJSON features and the exact count of all that match (OGC API – Features paging). */
export interface FeaturePage {
  readonly numberMatched: number;
  readonly numberReturned: number;
  /** The page's features, a JSON array as text straight from PostGIS. */
  readonly features: string;
}

export interface GeographyRepository {
  version(): Promise<GeographyVersion | undefined>;
  /** Replaces the whole hierarchy atomically; PostGIS re-checks validity and any problem rolls it all back. */
  replace(set: GeographySet, source: string): Promise<ReplaceGeographyResult>;
  /** A GeoJSON FeatureCollection, as text straight from PostGIS (coordinates to 7 decimals, ~1 cm). */
  features(level: AreaLevel, query: AreaQuery): Promise<string>;
  /** The same features as a page with its counts, for callers that wrap them (the OGC API adds links). */
  featurePage(level: AreaLevel, query: FeaturePageQuery): Promise<FeaturePage>;
  /** Every grid with its exact stored geometry, for building the in-process router. */
  routableGrids(): Promise<{ code: string; rings: MultiPolygonRings }[]>;
  gridDetails(code: string): Promise<GridDetails | undefined>;
  /** Code and name of every district, street, community and grid. */
  names(): Promise<{ code: string; name: string }[]>;
  /** PostGIS's own answer for each point (ST_Covers, smallest code on shared edges): the router's oracle. */
  routeInDatabase(points: readonly (readonly [number, number])[]): Promise<(string | null)[]>;
}

export interface CatalogueRepository {
  replace(departments: readonly Department[], catalogue: Catalogue): Promise<void>;
  departments(): Promise<Department[]>;
  catalogue(): Promise<Catalogue>;
}

/**
 * An open case whose assignee a new roster takes off it: they are no longer on the roster, they
 * are in another department, or they no longer serve the case's grid (one they served before).
 */
export interface CaseLeftByRoster {
  readonly caseId: number;
  readonly caseNumber: string;
  readonly gridCode: string | null;
  /** The assignee as the roster has them now. */
  readonly person: { readonly id: string; readonly name: string; readonly departmentCode: string };
  readonly change: { readonly kind: 'left-roster' } | { readonly kind: 'changed-department'; readonly to: string } | { readonly kind: 'left-grid'; readonly gridCode: string };
}

export interface PersonnelRepository {
  /**
   * Replaces the roster in one transaction, under the case-events lock; assignments to grids that
   * do not exist are refused (the whole roster is). First, in that transaction, `requeue` gets the
   * open cases the new roster takes from their assignees (in case id order) and a case batch to
   * write their events with; whatever it or the roster's writes throw rolls back everything.
   * Without `requeue`, a roster that would take anyone off an open case is refused.
   */
  replace(roster: readonly RosterEntry[], requeue?: (batch: CaseBatch, cases: readonly CaseLeftByRoster[]) => Promise<void>): Promise<{ people: number; assignments: number }>;
  /** The open cases this roster would take from their assignees, as the store stands (what a dry run reports). */
  casesLeftBy(roster: readonly RosterEntry[]): Promise<CaseLeftByRoster[]>;
  forGrid(gridCode: string): Promise<GridServant[]>;
  count(): Promise<number>;
}

/** A case as intake writes it. */
export interface NewCaseRow {
  readonly id: number;
  readonly number: string;
  readonly reportId: string;
  /** Hash of the report's canonical form, to tell a retry from a different report reusing the id. */
  readonly reportHash: string;
  readonly category: string;
  readonly severity: number;
  readonly point: LngLat;
  readonly crs: string;
  readonly gridCode: string | null;
  readonly communityCode: string | null;
  readonly streetCode: string | null;
  readonly status: CaseStatus;
  readonly channel: Channel;
  readonly description: string;
  readonly departmentCode: string;
  readonly reporter: Reporter | null;
  readonly photos: readonly string[];
  readonly queue: Queue;
  readonly assigneeId: string | null;
  readonly dispatchReason: DispatchReason;
  readonly nearBoundary: CaseSummary['nearBoundary'];
  readonly duplicateOf: number | null;
  readonly reportedAt: Date;
  readonly acceptDueAt: Date | null;
  readonly resolveDueAt: Date | null;
}

export interface NewEventRow {
  readonly seq: number;
  readonly caseId: number;
  readonly type: CaseEventType;
  readonly kind: CaseEventMessage['kind'];
  readonly actor: string;
  readonly at: Date;
  readonly data: Record<string, unknown>;
  /** The case as it stands after the event: what is broadcast and replayed. */
  readonly payload: CaseSummary;
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface StoredCaseEvent {
  readonly seq: number;
  readonly event: CaseEvent;
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface NearbyOpenCase {
  readonly caseId: number;
  readonly distanceMeters: number;
}

export interface CandidateRow {
  readonly gridCode: string;
  readonly departmentCode: string;
  readonly personId: string;
  readonly name: string;
  readonly onDuty: boolean;
  readonly openCases: number;
}

/** The reads and writes of one intake batch: one transaction, holding the intake lock throughout. */
export interface CaseBatch {
  /** The cases already stored for these report ids (a retry gets its case back), with their report hashes. */
  byReportId(reportIds: readonly string[]): Promise<Map<string, { readonly summary: CaseSummary; readonly reportHash: string }>>;
  /** For each item, the nearest open case of the same category within `meters` reported since `since`. */
  openCasesNear(items: readonly { category: string; point: LngLat }[], meters: number, since: Date): Promise<(NearbyOpenCase | undefined)[]>;
  /** The people of each (grid, department), with their open cases across all their grids. */
  candidates(pairs: readonly { gridCode: string; departmentCode: string }[]): Promise<CandidateRow[]>;
  summaries(caseIds: readonly number[]): Promise<Map<number, CaseSummary>>;
  /**
   * New case ids, and event sequence numbers contiguous and larger than every committed one (the lock
   * sees to both), with the hash the chain goes on from: one statement.
   */
  drawForBatch(caseCount: number, seqCount: number): Promise<{ caseIds: number[]; seqs: number[]; lastEventHash: string | null }>;
  insertCases(rows: readonly NewCaseRow[]): Promise<void>;
  insertEvents(rows: readonly NewEventRow[]): Promise<void>;
  /** Adds to each case's "reported by" count (case id → reports added), in one statement. */
  addReports(added: ReadonlyMap<number, number>): Promise<void>;
  /** The case's id by its number, locked for this transaction (FOR UPDATE). */
  lockCase(number: string): Promise<number | undefined>;
  /** A case's whole history, in order: what its state is folded from. */
  eventsOf(caseId: number): Promise<CaseEvent[]>;
  /** Writes the state folded from the events into the cases row (the projection that queries read). */
  updateProjection(state: CaseState): Promise<void>;
  person(id: string): Promise<{ id: string; name: string; departmentCode: string; onDuty: boolean } | undefined>;
}

export interface CaseRepository {
  /** Runs one intake batch in a transaction under the database-wide intake lock. */
  batch<T>(work: (batch: CaseBatch) => Promise<T>): Promise<T>;
  /** Open cases of an area (district, street, community or grid code) and the sequence they are current at. */
  snapshot(area: string): Promise<{ seq: number; cases: CaseSummary[] }>;
  /**
   * The same open cases as live dashboards take them: rows (core/protocol/live-wire.ts), built by
   * the database as one JSON text (a wall's snapshot is tens of thousands of cases: the embedded
   * store spends most of a summary snapshot's time handing over rows and columns one by one), handed
   * on as that text: `json` is a JSON array of `count` case rows.
   */
  liveSnapshot(area: string): Promise<{ seq: number; count: number; json: string }>;
  /** An area's events with from ≤ seq ≤ to, in order, at most `limit` (undefined if more). */
  events(area: string, from: number, to: number, limit: number): Promise<CaseEventMessage[] | undefined>;
  /** The highest committed sequence number (0 before any). */
  maxSeq(): Promise<number>;
  byNumber(number: string): Promise<CaseSummary | undefined>;
  /** The whole event log in sequence order, a page at a time, for `audit:verify`. */
  chain(afterSeq: number, limit: number): Promise<(StoredCaseEvent & { readonly caseId: number })[]>;
  /** Cases as their projection stands, by id, a page at a time. */
  summariesAfter(afterId: number, limit: number): Promise<CaseSummary[]>;
  /** A case's events with their place in the chain, for its timeline. */
  timeline(caseId: number): Promise<StoredCaseEvent[]>;
  /** Open cases whose deadline to accept or to resolve passed before `now` and are not yet marked. */
  overdueCandidates(now: Date, limit: number): Promise<string[]>;
  /**
   * Open cases marked overdue below the district tier whose last mark or escalation is at least
   * `minGraceMinutes[tier]` old (a tier without rules: null): those an escalation rule may take up.
   */
  escalationCandidates(now: Date, minGraceMinutes: { readonly grid: number | null; readonly street: number | null }, limit: number): Promise<string[]>;
  count(): Promise<number>;
}

/** The store of record, as the services see it; drivers live behind SqlClient. */
export interface Store {
  readonly driver: 'pglite' | 'pg';
  readonly geography: GeographyRepository;
  readonly catalogue: CatalogueRepository;
  readonly personnel: PersonnelRepository;
  readonly cases: CaseRepository;
  /** Accounts that sign in, and their sessions. */
  readonly accounts: AccountsRepository;
  /** KPI figures per area, department or person, and the half-yearly two-way evaluation. */
  readonly evaluation: EvaluationRepository;
  /** Open311 GeoReport v2: the API keys that may file requests, and cases read as service requests. */
  readonly open311Keys: Open311KeysRepository;
  readonly open311Requests: Open311RequestsRepository;
  /** Extents and case features for the OGC API – Features endpoints. */
  readonly ogcFeatures: OgcFeaturesRepository;
  /** Bulk import of historic cases, and the open cases' points for re-routing. */
  readonly historicImport: HistoricImportRepository;
  /** Filtered cases, page after page, for exports (GeoJSON, CSV, FlatGeobuf). */
  readonly caseExport: CaseExportRepository;
  /** Figures per area, department and hotspot grid, and case points for hex bins (the analyst views). */
  readonly analytics: AnalyticsRepository;
  /** Who covers which grid, and each person's load (the staffing layer). */
  readonly staffing: StaffingRepository;
  /** Resolves when the database answers; throws StoreUnavailableError when it does not. */
  ping(): Promise<void>;
  /** Refreshes the planner's statistics (the embedded store has no autovacuum to do it). */
  analyze(): Promise<void>;
  /** Refreshes the statistics of the cases and their events alone; resolves with the cases the planner now counts. */
  analyzeCaseTables(): Promise<number>;
  /** The cases the planner counts now (as of the last analysis; 0 if none). */
  plannedCaseCount(): Promise<number>;
  /**
   * Vacuums the cases table, which marks its settled pages all-visible: counting a person's open
   * cases (dispatch's load) then reads only the index, not each case's row. With `indexCleanup:
   * false` the indexes are left alone (dead rows' index entries stay until a vacuum with them):
   * every vacuum with index cleanup reads each GiST index of the cases whole, even with nothing to
   * remove (~75 ms at 85,000 cases on the PostgreSQL server, with two parallel workers; under load
   * 180–270 ms), where one without took ~1 ms.
   */
  vacuumCases(options?: { readonly indexCleanup?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** PostGIS found an area invalid that the import's own checks let through; nothing was stored. */
export class InvalidGeographyError extends Error {
  override readonly name = 'InvalidGeographyError';
  constructor(readonly reasons: readonly string[]) {
    super(`PostGIS rejected the geometry: ${reasons.join('; ')}`);
  }
}
