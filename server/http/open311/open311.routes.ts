import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '../../../core/audit/canonical-json.ts';
import type { Category, Department } from '../../../core/catalogue/catalogue.ts';
import { checkCreateRequest } from '../../../core/open311/create-request.ts';
import { formatW3cDateTime, parseW3cDateTime } from '../../../core/open311/dates.ts';
import { localeOf, SPECIFICATION_URL, type O311CreatedRequest, type O311Discovery, type Open311Locale } from '../../../core/open311/georeport-types.ts';
import { caseStatusesOf, requestOf, type Open311Names } from '../../../core/open311/requests.ts';
import { serviceDefinitionOf, servicesOf } from '../../../core/open311/services.ts';
import type { Clock } from '../../../core/time/clock.ts';
import type { GeographyService } from '../../services/geography.service.ts';
import type { IntakeService } from '../../services/intake.service.ts';
import { DEFAULT_INTAKE_OPTIONS } from '../../services/intake.service.ts';
import { createOpen311KeyService, type Open311KeyService } from '../../services/open311-keys.service.ts';
import { StoreUnavailableError } from '../../store/sql-client.ts';
import type { Open311RequestQuery } from '../../store/open311-requests.repository.ts';
import type { Store } from '../../store/store.ts';
import { createRequestFields, formOrQueryValue, FORM_BODY_LIMIT_BYTES, registerFormParser } from './form-body.ts';
import { badParameter, notFound, Open311Failure, sendErrors, sendOpen311, splitFormat, type Open311Format } from './render.ts';

/** Where the GeoReport v2 endpoint lives. */
export const OPEN311_PREFIX = '/open311/v2';

export interface Open311Options {
  /** Keys accepted besides those in the store (the OPEN311_API_KEYS environment variable). */
  readonly apiKeys?: readonly string[];
  /** Discovery's `contact` and `key_service` texts. */
  readonly contact?: string;
  readonly keyService?: string;
  /** An identical POST within this many hours returns the case it filed (default: the intake's duplicate window, 24). */
  readonly replayWindowHours?: number;
}

export interface Open311Dependencies {
  readonly store: Store;
  readonly intake: IntakeService;
  readonly geography: GeographyService;
  readonly clock: Clock;
  readonly options?: Open311Options;
}

/** Default query window and volume (the spec's "90 days or the first 1000 requests, whichever is smaller"). */
export const MAX_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 86_400_000;
const RETRY_AFTER_SECONDS = 5;

const DEFAULT_CONTACT = '海淀区城市管理指挥中心 (Haidian district command centre): ask the command centre’s administrator';
const DEFAULT_KEY_SERVICE = 'API keys are issued by the command centre’s administrator (npm run open311-keys -- create --name "Your app"); GET needs no key';

type Query = Readonly<Record<string, unknown>>;

/** An optional query parameter: absent and empty are the same (the spec's "optional arguments"); given twice is an error. */
function param(query: Query, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw badParameter(`${name} was given more than once; send one, comma-separated where it takes a list`);
  const v = raw.trim();
  return v === '' ? undefined : v;
}

function list(query: Query, name: string): string[] | undefined {
  const v = param(query, name);
  if (v === undefined) return undefined;
  const items = [...new Set(v.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  return items.length > 0 ? items : undefined;
}

function localeParam(query: Query, form?: URLSearchParams): Open311Locale {
  return localeOf(form?.get('locale') ?? form?.get('lang') ?? param(query, 'locale') ?? param(query, 'lang'));
}

function dateParam(query: Query, name: string): Date | undefined {
  const v = param(query, name);
  if (v === undefined) return undefined;
  const at = parseW3cDateTime(v);
  if (!at) throw badParameter(`${name} must be a W3C datetime with a timezone, e.g. 2026-05-01T00:00:00Z or 2026-05-01T08:00:00+08:00; got "${v.slice(0, 40)}"`);
  return at;
}

/**
 * The time window of GET requests: start_date and end_date filter requested_datetime (as shown, to the
 * second, both inclusive) and may span at most 90 days; one alone reaches 90 days from it; neither is
 * the last 90 days.
 */
function windowOf(query: Query, now: Date): Pick<Open311RequestQuery, 'from' | 'until'> {
  const start = dateParam(query, 'start_date');
  const end = dateParam(query, 'end_date');
  const span = MAX_WINDOW_DAYS * DAY_MS;
  if (start && end) {
    if (end < start) throw badParameter('end_date is before start_date');
    if (end.getTime() - start.getTime() > span) throw badParameter(`start_date and end_date may not span more than ${MAX_WINDOW_DAYS} days`);
  }
  const from = start ? Math.ceil(start.getTime() / 1000) * 1000 : end ? end.getTime() - span : now.getTime() - span;
  // Inclusive to the second: a request shown at 10:00:00 was made before 10:00:01.
  const until = end ? Math.floor(end.getTime() / 1000) * 1000 + 1000 : start ? start.getTime() + span : undefined;
  return { from: new Date(from), ...(until !== undefined ? { until: new Date(until) } : {}) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, POST requests
 * (form-encoded, API key, through the one intake pipeline as channel `open311`), GET requests with
 * the spec's filters, GET requests/{id}, tokens/{token} (nothing is batch: always 404). Every answer
 * in XML (`.xml`) or JSON (`.json`); every refusal the spec's error list (400, 403 key, 404).
 */
export async function registerOpen311Routes(app: FastifyInstance, deps: Open311Dependencies): Promise<Open311KeyService> {
  const [catalogue, departments] = await Promise.all([deps.store.catalogue.catalogue(), deps.store.catalogue.departments()]);
  // The service list is the catalogue as read now: discovery's changeset says when.
  const changeset = formatW3cDateTime(deps.clock.now());
  const categories = new Map<string, Category>(catalogue.categories.map((c) => [c.code, c]));
  const departmentsByCode = new Map<string, Department>(departments.map((d) => [d.code, d]));
  const names: Open311Names = {
    category: (code) => categories.get(code),
    department: (code) => departmentsByCode.get(code),
    area: (code) => deps.geography.name(code),
  };
  const keys = createOpen311KeyService({ store: deps.store, environmentKeys: deps.options?.apiKeys ?? [], clock: deps.clock });
  const replayWindowMs = (deps.options?.replayWindowHours ?? DEFAULT_INTAKE_OPTIONS.duplicateHours) * 3_600_000;

  const requests = async (query: Open311RequestQuery, locale: Open311Locale) => (await deps.store.open311Requests.query(query)).map((facts) => requestOf(facts, names, locale));

  /**
   * The report id of a POST: the key's id, a hash of everything the request says (device_id and
   * account_id included), and the replay window it falls in. An identical POST within the window
   * (24 h) gets the same id, so intake answers the case it filed; one sent later is a new report.
   */
  const reportIdFor = async (keyId: string, canonical: Readonly<Record<string, unknown>>): Promise<string> => {
    const hash = sha256(canonicalJson({ key: keyId, ...canonical })).slice(0, 32);
    const now = deps.clock.now().getTime();
    const bucket = Math.floor(now / replayWindowMs);
    const idOf = (b: number): string => `o311:${keyId}:${hash}:${b}`;
    const filed = await deps.store.open311Requests.reportTimes([idOf(bucket - 1), idOf(bucket)]);
    const previous = filed.get(idOf(bucket - 1));
    return previous && now - previous.getTime() < replayWindowMs ? idOf(bucket - 1) : idOf(bucket);
  };

  const createRequest = async (request: FastifyRequest, reply: FastifyReply, format: Open311Format): Promise<FastifyReply> => {
    if (!(request.body instanceof URLSearchParams)) throw badParameter('send the request as application/x-www-form-urlencoded; charset=utf-8');
    const form = request.body;
    const query = request.query as Query;
    const apiKey = formOrQueryValue(form, query, 'api_key');
    if (apiKey === undefined) throw new Open311Failure(403, [{ code: 403, description: 'api_key was not provided: POST requests needs an API key' }]);
    const holder = await keys.verify(apiKey);
    if (!holder) throw new Open311Failure(403, [{ code: 403, description: 'invalid api_key: unknown or disabled' }]);
    const checked = checkCreateRequest(createRequestFields(form), (code) => categories.get(code));
    if (!checked.ok) throw new Open311Failure(checked.status, checked.errors);
    const { category, lng, lat, description, reporter, photos, accountId, canonical } = checked.request;
    const report = { reportId: await reportIdFor(holder.id, canonical), category, lng, lat, description, channel: 'open311', ...(reporter ? { reporter } : {}), photos };
    const result = await deps.intake.report(report, 'open311');
    if (!result.ok) {
      if (result.status === 503) {
        // The spec's "General Service Error (eg CRM is down)" is a 400; Retry-After says it is passing.
        throw new Open311Failure(400, [{ code: 400, description: 'the database is unavailable: nothing was stored; send the same request again shortly' }], result.error.retryAfterSeconds ?? RETRY_AFTER_SECONDS);
      }
      const problems = result.error.problems?.map((p) => p.message) ?? [];
      throw new Open311Failure(400, (problems.length > 1 ? problems : [result.error.message]).map((description) => ({ code: 400, description })));
    }
    const [filed] = await requests({ numbers: [result.ack.caseNumber], limit: 1 }, localeParam(query, form));
    const answer: O311CreatedRequest = {
      service_request_id: result.ack.caseNumber,
      service_notice: filed ? [filed.status_notes, filed.service_notice].filter(Boolean).join('; ') : null,
      account_id: accountId,
    };
    return sendOpen311(reply, format, result.ack.replayed ? 200 : 201, 'service_requests', [answer]);
  };

  await app.register(
    async (scope) => {
      registerFormParser(scope);
      scope.setErrorHandler((error: FastifyError | Error, request, reply) => {
        if (error instanceof Open311Failure) return sendErrors(request, reply, error);
        if (error instanceof StoreUnavailableError) {
          request.log.warn({ err: error }, 'store unavailable');
          return sendErrors(request, reply, new Open311Failure(400, [{ code: 400, description: 'the database is unavailable; try again shortly' }], RETRY_AFTER_SECONDS));
        }
        const status = (error as FastifyError).statusCode;
        if (status !== undefined && status >= 400 && status < 500) {
          const code = (error as FastifyError).code;
          const description =
            code === 'FST_ERR_CTP_BODY_TOO_LARGE'
              ? `the request body is larger than ${FORM_BODY_LIMIT_BYTES / 1024} KB`
              : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
                ? 'send the request as application/x-www-form-urlencoded; charset=utf-8'
                : error.message;
          return sendErrors(request, reply, badParameter(description));
        }
        request.log.error({ err: error }, 'unhandled error');
        return sendErrors(request, reply, new Open311Failure(500, [{ code: 500, description: 'internal error' }]));
      });
      scope.setNotFoundHandler((request, reply) =>
        sendErrors(request, reply, notFound(`no resource ${request.method} ${request.url.split('?')[0]!.slice(0, 100)}: see ${OPEN311_PREFIX}/discovery.xml`)),
      );

      for (const format of ['xml', 'json'] as const) {
        scope.get(`/discovery.${format}`, async (request, reply) => {
          const endpoint = `${request.protocol}://${request.host}${OPEN311_PREFIX}`;
          const discovery: O311Discovery = {
            changeset,
            contact: deps.options?.contact ?? DEFAULT_CONTACT,
            key_service: deps.options?.keyService ?? DEFAULT_KEY_SERVICE,
            endpoints: [{ specification: SPECIFICATION_URL, url: endpoint, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
          };
          return sendOpen311(reply, format, 200, 'discovery', discovery);
        });

        scope.get(`/services.${format}`, async (request, reply) => sendOpen311(reply, format, 200, 'services', servicesOf(catalogue, localeParam(request.query as Query))));

        scope.get(`/requests.${format}`, async (request, reply) => {
          const query = request.query as Query;
          const locale = localeParam(query);
          const ids = list(query, 'service_request_id');
          if (ids) {
            if (ids.length > MAX_REQUESTS) throw badParameter(`at most ${MAX_REQUESTS} service_request_id values at once`);
            // The spec: a list of ids overrides every other filter.
            return sendOpen311(reply, format, 200, 'service_requests', (await requests({ numbers: ids, limit: MAX_REQUESTS }, locale)));
          }
          const statuses = list(query, 'status');
          const bad = statuses?.find((s) => s !== 'open' && s !== 'closed');
          if (bad !== undefined) throw badParameter(`status must be open or closed (comma-separated); got "${bad.slice(0, 40)}"`);
          const found = await requests(
            {
              ...windowOf(query, deps.clock.now()),
              ...(list(query, 'service_code') ? { categories: list(query, 'service_code')! } : {}),
              ...(statuses ? { statuses: statuses.flatMap((s) => caseStatusesOf(s as 'open' | 'closed')) } : {}),
              limit: MAX_REQUESTS,
            },
            locale,
          );
          return sendOpen311(reply, format, 200, 'service_requests', found);
        });

        scope.post(`/requests.${format}`, { bodyLimit: FORM_BODY_LIMIT_BYTES }, (request, reply) => createRequest(request, reply, format));
      }

      scope.get('/services/:file', async (request, reply) => {
        const split = splitFormat((request.params as { file: string }).file);
        if (!split) throw notFound('use services/{service_code}.xml or services/{service_code}.json');
        const [code, format] = split;
        const category = categories.get(code);
        if (!category) throw notFound(`service_code "${code.slice(0, 40)}" was not found: see services.${format}`);
        return sendOpen311(reply, format, 200, 'service_definition', serviceDefinitionOf(category, localeParam(request.query as Query)));
      });

      scope.get('/requests/:file', async (request, reply) => {
        const split = splitFormat((request.params as { file: string }).file);
        if (!split) throw notFound('use requests/{service_request_id}.xml or requests/{service_request_id}.json');
        const [id, format] = split;
        const found = await requests({ numbers: [id], limit: 1 }, localeParam(request.query as Query));
        if (found.length === 0) throw notFound(`service_request_id "${id.slice(0, 40)}" was not found`);
        return sendOpen311(reply, format, 200, 'service_requests', found);
      });

      // Every service here is realtime (POST answers the service_request_id at once): no token is ever issued.
      scope.get('/tokens/:file', async (request) => {
        const split = splitFormat((request.params as { file: string }).file);
        throw notFound(split ? `token "${split[0].slice(0, 40)}" was not found: every service here is realtime, so POST requests answers a service_request_id and never a token` : 'use tokens/{token}.xml or tokens/{token}.json');
      });
    },
    { prefix: OPEN311_PREFIX },
  );
  return keys;
}
