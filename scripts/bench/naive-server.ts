/**
 * The intake benchmark's baseline: the textbook pipeline, built from the same pieces the product
 * uses (the store and its drivers, the in-process grid router, parseReport, decideDispatch,
 * caseDeadlines) but with none of its design:
 *   each `case:report` → validate → route → dispatch → its own INSERT (autocommit, one round trip)
 *   → ack → then, for every connected socket, one `case:events` with this one case (if it is in the
 *   area the socket watches) and one `case:mark` for it: no rooms, no batching, no coalescing.
 *
 * On a PostgreSQL server the INSERTs go through a plain node-postgres pool (10 connections).
 * It speaks enough of the product's socket protocol for the same dashboards to measure it:
 * `area:watch` answers "nothing missed" at the current sequence, and events carry a sequence
 * number from a counter in this process (not the store's; so a restart or a second process would
 * not agree, which the baseline does not need). It keeps no event log, no hash chain, no
 * idempotency beyond the unique reportId, no duplicate detection and no catch-up (`case:range` is
 * refused), and it counts open cases per person in memory instead of asking the store: it does less
 * work per case than the product, so the ratio it yields understates the product's advantage.
 *
 *   DATA_DIR=… | DATABASE_URL=…  HOST=127.0.0.1 PORT=0  node --import tsx scripts/bench/naive-server.ts
 * prints `listening on http://HOST:PORT` when ready; serves GET /api/cases/:number and /healthz.
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import pg from 'pg';
import { Server } from 'socket.io';
import { BEIJING_OFFICE_HOURS } from '../../core/calendar/working-calendar.ts';
import type { CaseEventMessage, CaseSummary } from '../../core/cases/case-summary.ts';
import { parseReport } from '../../core/cases/report.ts';
import type { Category } from '../../core/catalogue/catalogue.ts';
import { caseDeadlines } from '../../core/dispatch/case-deadlines.ts';
import { decideDispatch } from '../../core/dispatch/decide-dispatch.ts';
import { describeDispatch } from '../../core/dispatch/describe-dispatch.ts';
import type { Ack, CaseAck, WatchResultWire } from '../../core/protocol/cases-api.ts';
import { eventRowOf, packedEventsOf } from '../../core/protocol/live-wire.ts';
import type { AreaRef } from '../../core/protocol/http-api.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/protocol/socket-events.ts';
import { readReferenceData } from '../../server/reference/read-reference-data.ts';
import { createGeographyService } from '../../server/services/geography.service.ts';
import { ensureReferenceData } from '../../server/services/reference-data.service.ts';
import { createStore } from '../../server/store/create-store.ts';
import { openPgClient } from '../../server/store/pg/open-pg-client.ts';
import { openPgliteClient } from '../../server/store/pglite/open-pglite-client.ts';
import type { SqlClient } from '../../server/store/sql-client.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Person {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  readonly onDuty: boolean;
}

const INSERT_CASE = `
  INSERT INTO cases (id, case_number, report_id, category_code, geom, crs, grid_code, community_code, street_code, status, severity,
                     channel, description, queue_kind, queue_street, assignee_id, dispatch_reason, near_boundary,
                     reported_at, accept_due_at, resolve_due_at)
  SELECT v, $1 || lpad(v::text, 7, '0'), $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8, $9, $10, $11,
         $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb, $19::timestamptz, $20::timestamptz, $21::timestamptz
  FROM (SELECT nextval(pg_get_serial_sequence('cases', 'id'))::bigint AS v) s
  RETURNING id, case_number`;

async function main(): Promise<void> {
  const env = process.env;
  const databaseUrl = env['DATABASE_URL']?.trim() || undefined;
  const sql: SqlClient = databaseUrl ? await openPgClient(databaseUrl) : await openPgliteClient(resolve(env['DATA_DIR'] ?? './data'));
  const store = await createStore(sql);
  // The per-case INSERT on a server goes through a textbook pool (node-postgres defaults: 10
  // connections, wait for a free one as long as it takes), not the product's pool, which gives up
  // after 5 s: a backlog of reports is then slow here, not refused.
  const pool = databaseUrl ? new pg.Pool({ connectionString: databaseUrl }) : undefined;
  pool?.on('error', () => {});
  const insertCase = async (params: unknown[]): Promise<{ id: number; case_number: string }[]> =>
    pool ? (await pool.query<{ id: string; case_number: string }>(INSERT_CASE, params)).rows.map((r) => ({ id: Number(r.id), case_number: r.case_number })) : sql.query(INSERT_CASE, params);
  await ensureReferenceData(store, () => readReferenceData(resolve(ROOT, 'geodata')), (line) => console.log(`[naive] ${line}`));
  const geography = await createGeographyService(store);
  const catalogue = await store.catalogue.catalogue();
  const departments = await store.catalogue.departments();
  const categories = new Map<string, Category>(catalogue.categories.map((c) => [c.code, c]));
  const departmentName = { zh: new Map(departments.map((d) => [d.code, d.zh])), en: new Map(departments.map((d) => [d.code, d.en])) };
  const district = JSON.parse(await store.geography.features('district', { limit: 1, offset: 0 })) as { features: { id: string }[] };
  const districtCode = district.features[0]!.id;

  // Who serves which grid for which department, and open cases per person: read once, kept in memory.
  const candidates = new Map<string, Person[]>();
  const rows = await sql.query<{ grid_code: string; id: string; name: string; department_code: string; on_duty: boolean }>(
    'SELECT a.grid_code, p.id, p.name, p.department_code, p.on_duty FROM assignments a JOIN personnel p ON p.id = a.person_id',
  );
  for (const r of rows) {
    const key = `${r.grid_code}|${r.department_code}`;
    candidates.set(key, [...(candidates.get(key) ?? []), { id: r.id, name: r.name, departmentCode: r.department_code, onDuty: r.on_duty }]);
  }
  const people = new Map(rows.map((r) => [r.id, r.name]));
  const openCases = new Map<string, number>();
  for (const r of await sql.query<{ id: string; n: number }>('SELECT assignee_id AS id, count(*)::int AS n FROM cases WHERE closed_at IS NULL AND assignee_id IS NOT NULL GROUP BY 1')) {
    openCases.set(r.id, r.n);
  }

  const http = createServer((request, response) => {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const match = /^\/api\/cases\/([A-Za-z0-9-]+)$/.exec(request.url ?? '');
    if (request.method === 'GET' && match) {
      store.cases.byNumber(match[1]!).then(
        (found) => (found ? send(200, found) : send(404, { error: { code: 'not_found', message: `no case ${match[1]}` } })),
        (error: unknown) => send(500, { error: { code: 'internal', message: (error as Error).message } }),
      );
    } else if (request.method === 'GET' && request.url === '/healthz') send(200, { status: 'ok', store: store.driver });
    else send(404, { error: { code: 'not_found', message: 'not here' } });
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { area?: string }>(http, { serveClient: false, maxHttpBufferSize: 256 * 1024 });

  let seq = 0;
  const prefix = `NV${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '')}-`;
  const ref = (code: string | null): AreaRef | null => (code ? { code, name: geography.name(code) ?? '' } : null);

  io.on('connection', (socket) => {
    socket.on('area:watch', (request, ack) => {
      const area = (request as { area?: unknown } | undefined)?.area;
      if (typeof area !== 'string' || geography.name(area) === undefined) {
        ack({ ok: false, error: { code: 'bad_request', message: 'unknown area' } });
        return;
      }
      socket.data.area = area;
      const answer: WatchResultWire = { kind: 'events', area, from: seq + 1, to: seq, ...packedEventsOf([]) };
      ack({ ok: true, data: answer });
    });

    socket.on('case:range', (_request, ack) => ack({ ok: false, error: { code: 'not_supported', message: 'the baseline keeps no event log' } }));

    socket.on('case:report', (input, ack) => {
      const reply = typeof ack === 'function' ? ack : (): void => {};
      const parsed = parseReport(input, (code) => categories.has(code), 'resident-app');
      if (!parsed.ok) {
        reply({ ok: false, error: { code: 'invalid_report', message: parsed.problems.map((p) => p.message).join('; ') } });
        return;
      }
      const report = parsed.report;
      const category = categories.get(report.category)!;
      const route = geography.routeCase(report.point, 10);
      if (!route.routed && report.channel === 'resident-app') {
        reply({ ok: false, error: { code: 'outside_district', message: 'outside every grid of the district' } });
        return;
      }
      const decision = route.routed
        ? decideDispatch({
            routed: true,
            gridCode: route.gridCode,
            streetCode: route.streetCode,
            departmentCode: category.department,
            candidates: (candidates.get(`${route.gridCode}|${category.department}`) ?? []).map((p) => ({ personId: p.id, onDuty: p.onDuty, openCases: openCases.get(p.id) ?? 0 })),
          })
        : decideDispatch({ routed: false });
      const assigneeId = decision.queue.kind === 'person' ? decision.queue.personId : null;
      if (assigneeId) openCases.set(assigneeId, (openCases.get(assigneeId) ?? 0) + 1);
      const now = new Date();
      const deadlines = caseDeadlines(category, now, BEIJING_OFFICE_HOURS);
      const status = assigneeId ? 'dispatched' : 'queued';
      const grid = route.routed ? route.gridCode : null;
      const community = route.routed ? route.communityCode : null;
      const street = route.routed ? route.streetCode : null;
      const nearBoundary = route.routed ? route.nearBoundary : null;

      const insert = insertCase([
        prefix,
        report.reportId,
        report.category,
        report.point[0],
        report.point[1],
        report.crs,
        grid,
        community,
        street,
        status,
        category.severity,
        report.channel,
        report.description,
        decision.queue.kind,
        decision.queue.kind === 'street' ? decision.queue.streetCode : null,
        assigneeId,
        JSON.stringify(decision.reason),
        nearBoundary ? JSON.stringify(nearBoundary) : null,
        now.toISOString(),
        deadlines.acceptDueAt.toISOString(),
        deadlines.resolveDueAt.toISOString(),
      ]);
      insert.then(
        ([row]) => {
          const summary: CaseSummary = {
            id: row!.id,
            number: row!.case_number,
            category: report.category,
            severity: category.severity,
            point: report.point,
            gridCode: grid,
            communityCode: community,
            streetCode: street,
            status,
            tier: decision.queue.kind === 'person' ? 'grid' : decision.queue.kind === 'street' ? 'street' : 'district',
            channel: report.channel,
            description: report.description,
            queue: decision.queue,
            assignee: assigneeId ? { id: assigneeId, name: people.get(assigneeId) ?? '', departmentCode: category.department } : null,
            dispatchReason: decision.reason,
            reportedAt: now.toISOString(),
            acceptDueAt: deadlines.acceptDueAt.toISOString(),
            resolveDueAt: deadlines.resolveDueAt.toISOString(),
            acceptedAt: null,
            closedAt: null,
            overdueAcceptAt: null,
            overdueResolveAt: null,
            escalatedAt: null,
            reworkCount: 0,
            extensionPending: false,
            formalNoticeDueAt: null,
            reportsCount: 1,
            duplicateOf: null,
            departmentCode: category.department,
            nearBoundary,
          };
          const caseAck: CaseAck = {
            caseNumber: summary.number,
            caseId: summary.id,
            replayed: false,
            status,
            grid: ref(grid),
            community: ref(community),
            street: ref(street),
            assignee: summary.assignee,
            queue: summary.queue,
            dispatch: {
              reason: decision.reason,
              zh: describeDispatch(decision.reason, 'zh', { department: (c) => departmentName.zh.get(c) ?? c }),
              en: describeDispatch(decision.reason, 'en', { department: (c) => departmentName.en.get(c) ?? c }),
            },
            acceptDueAt: summary.acceptDueAt,
            resolveDueAt: summary.resolveDueAt,
            nearBoundary,
            duplicateOf: null,
          };
          reply({ ok: true, data: caseAck } satisfies Ack<CaseAck>);

          // The textbook broadcast: one emit per connected client per case, then its mark.
          const s = ++seq;
          const event: CaseEventMessage = { seq: s, kind: 'case:created', type: 'filed', at: summary.reportedAt, case: summary };
          // In the same wire form as the product's (packed): the baseline differs in how often it sends, not in what.
          const packed = packedEventsOf([eventRowOf(event)]);
          const areas = new Set([districtCode, street, community, grid]);
          for (const client of io.sockets.sockets.values()) {
            const area = client.data.area;
            if (area !== undefined && areas.has(area)) client.emit('case:events', { from: s, to: s, area, ...packed });
            client.emit('case:mark', { from: s, to: s });
          }
        },
        (error: unknown) => reply({ ok: false, error: { code: 'insert_failed', message: (error as Error).message } }),
      );
    });
  });

  const shutdown = (): void => {
    io.close();
    Promise.allSettled([pool?.end(), store.close()]).finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  const host = env['HOST'] ?? '127.0.0.1';
  await new Promise<void>((done) => http.listen(Number(env['PORT'] ?? 0), host, done));
  const address = http.address();
  console.log(`listening on http://${host}:${typeof address === 'object' && address ? address.port : 0}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
