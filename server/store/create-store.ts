import { createAccountsRepository } from './accounts.repository.ts';
import { createAnalyticsRepository } from './analytics.repository.ts';
import { createCaseRepository } from './cases.repository.ts';
import { createCatalogueRepository } from './catalogue.repository.ts';
import { createEvaluationRepository } from './evaluation.repository.ts';
import { createGeographyRepository } from './geography.repository.ts';
import { migrate } from './migrate.ts';
import { createOpen311KeysRepository } from './open311-keys.repository.ts';
import { createOpen311RequestsRepository } from './open311-requests.repository.ts';
import { createOgcFeaturesRepository } from './ogc-features.repository.ts';
import { createHistoricImportRepository } from './historic-import.repository.ts';
import { createCaseExportRepository } from './case-export.repository.ts';
import { createPersonnelRepository } from './personnel.repository.ts';
import { createStaffingRepository } from './staffing.repository.ts';
import type { SqlClient } from './sql-client.ts';
import type { Store } from './store.ts';

/**
 * The cases' columns that intake's ANALYZE refreshes. The others are wide and never filtered, joined,
 * grouped or sorted on; a store test holds the two lists to the table's columns, so that a new column
 * is placed in one of them.
 */
export const ANALYSED_CASE_COLUMNS = [
  'id', 'case_number', 'report_id', 'category_code', 'geom', 'grid_code', 'community_code', 'street_code', 'status', 'severity', 'channel',
  'assignee_id', 'reported_at', 'accept_due_at', 'resolve_due_at', 'queue_kind', 'queue_street', 'duplicate_of', 'reports_count', 'closed_at',
  'tier', 'department_code', 'accepted_at', 'feedback_at', 'handler_id', 'self_handled', 'rework_count', 'reopen_count', 'overdue_accept_at',
  'overdue_resolve_at', 'escalated_at', 'rating', 'rated_at',
] as const;
export const UNANALYSED_CASE_COLUMNS = ['description', 'crs', 'reporter', 'photos', 'dispatch_reason', 'near_boundary', 'report_hash', 'extension', 'formal_notice', 'rating_comment'] as const;

/** The store over any SqlClient: migrates the schema forward, then hands out the repositories. */
export async function createStore(sql: SqlClient): Promise<Store> {
  await migrate(sql);
  const plannedCaseCount = async (): Promise<number> => {
    const [row] = await sql.query<{ n: number }>("SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = 'cases'::regclass");
    return Number(row?.n ?? 0);
  };
  return {
    driver: sql.driver,
    geography: createGeographyRepository(sql),
    catalogue: createCatalogueRepository(sql),
    personnel: createPersonnelRepository(sql),
    cases: createCaseRepository(sql),
    accounts: createAccountsRepository(sql),
    evaluation: createEvaluationRepository(sql),
    open311Keys: createOpen311KeysRepository(sql),
    open311Requests: createOpen311RequestsRepository(sql),
    ogcFeatures: createOgcFeaturesRepository(sql),
    historicImport: createHistoricImportRepository(sql),
    caseExport: createCaseExportRepository(sql),
    analytics: createAnalyticsRepository(sql),
    staffing: createStaffingRepository(sql),
    async ping() {
      await sql.query('SELECT 1');
    },
    async analyze() {
      await sql.exec('ANALYZE');
    },
    async analyzeCaseTables() {
      // The columns that queries filter, join, group or sort on: the wide ones (descriptions, reporters,
      // photos, reasons and other jsonb), analysed too, made it ~4× dearer for the events (1.8 s
      // against 0.4 s at 100,000) and ~1.5× for the cases (876 ms against 570 at ~60,000). Both
      // tables' columns sample a tenth of the default rows (migrations 012 and 014).
      await sql.exec(`ANALYZE cases (${ANALYSED_CASE_COLUMNS.join(', ')}), case_events (seq, case_id, type, at, street_code, community_code, grid_code)`);
      return plannedCaseCount();
    },
    plannedCaseCount,
    async vacuumCases(options = {}) {
      await sql.exec(options.indexCleanup === false ? 'VACUUM (INDEX_CLEANUP OFF) cases' : 'VACUUM cases');
    },
    close: () => sql.close(),
  };
}
