import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../core/time/clock.ts';
import { registerAnalyticsRoutes } from './http/analytics.routes.ts';
import { registerCaseLoopRoutes } from './http/case-loop.routes.ts';
import { registerCaseRoutes } from './http/cases.routes.ts';
import { registerCatalogueRoutes } from './http/catalogue.routes.ts';
import { registerEvaluationRoutes } from './http/evaluation.routes.ts';
import { registerExportRoutes } from './http/export.routes.ts';
import { registerGeoRoutes } from './http/geo.routes.ts';
import { registerHealthRoutes } from './http/health.routes.ts';
import { HttpError } from './http/http-error.ts';
import { registerOpen311Routes, type Open311Options } from './http/open311/open311.routes.ts';
import { registerOgcRoutes } from './http/ogc/ogc.routes.ts';
import { registerPersonnelRoutes } from './http/personnel.routes.ts';
import { registerPublicPage, registerPublicRoutes } from './http/public.routes.ts';
import { registerRouteRoutes } from './http/route.routes.ts';
import { registerSessionRoutes } from './http/session.routes.ts';
import type { AuthService } from './services/auth.service.ts';
import type { CaseLoopService } from './services/case-loop.service.ts';
import type { GeographyService } from './services/geography.service.ts';
import type { IntakeService } from './services/intake.service.ts';
import { StoreUnavailableError } from './store/sql-client.ts';
import type { Store } from './store/store.ts';

export interface AppDependencies {
  readonly store: Store;
  readonly geography: GeographyService;
  readonly intake: IntakeService;
  /** Sign-in and sessions. */
  readonly auth: AuthService;
  /** The case loop's commands and timelines. */
  readonly caseLoop: CaseLoopService;
  /** The time evaluations default to and measure "overdue now" at (default: the system clock). */
  readonly clock?: Clock;
  readonly logLevel?: string;
  /** Built web client (vite build output) served at /, when present. */
  readonly clientDir?: string;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes?: number;
  /** Open311 GeoReport v2 at /open311/v2/: API keys besides the store's, discovery texts. */
  readonly open311?: Open311Options;
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** The HTTP application, wired from its dependencies; no globals, no environment. */
export async function createApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: deps.logLevel ?? 'warn' }, bodyLimit: deps.bodyLimitBytes ?? 1_048_576 });

  // Errors are mapped to status codes here and nowhere else.
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message } } satisfies ErrorBody);
    }
    if (error instanceof StoreUnavailableError) {
      request.log.warn({ err: error }, 'store unavailable');
      return reply.code(503).header('retry-after', '5').send({ error: { code: 'store_unavailable', message: 'the database is unavailable; retry shortly' } } satisfies ErrorBody);
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: (error as FastifyError).code?.toLowerCase() ?? 'bad_request', message: error.message } } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody);
  });
  const hasClient = deps.clientDir !== undefined && existsSync(`${deps.clientDir}/index.html`);
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: deps.clientDir!,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      // Vite names assets by content hash, so they never change; the page that names them must be
      // revalidated, or a browser keeps an old index.html that points at deleted assets.
      setHeaders(reply, path) {
        reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // The public disclosure page (the client build's second entry) at /public.
    if (existsSync(`${deps.clientDir}/public.html`)) registerPublicPage(app);
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // The client routes in the browser (/wall, /grid/…): any other GET page gets the app shell.
    if (hasClient && request.method === 'GET' && !path.startsWith('/api/') && !path.includes('.') && path !== '/healthz') {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${path}` } } satisfies ErrorBody);
  });

  registerHealthRoutes(app, deps.store, deps.geography);
  registerGeoRoutes(app, deps.store, () => deps.geography.version);
  registerRouteRoutes(app, deps.geography);
  registerCatalogueRoutes(app, deps.store);
  registerPersonnelRoutes(app, deps.store);
  registerPublicRoutes(app, deps.geography, deps.store);
  registerExportRoutes(app, deps.store, deps.geography, deps.auth);
  registerCaseRoutes(app, deps.intake, deps.store, deps.geography, deps.auth);
  registerCaseLoopRoutes(app, deps.caseLoop, deps.auth, deps.store);
  registerEvaluationRoutes(app, deps.store, deps.geography, deps.clock ?? systemClock, deps.auth);
  registerAnalyticsRoutes(app, deps.store, deps.geography, deps.clock ?? systemClock, deps.auth);
  registerSessionRoutes(app, deps.auth);
  await registerOpen311Routes(app, { store: deps.store, intake: deps.intake, geography: deps.geography, clock: deps.clock ?? systemClock, ...(deps.open311 ? { options: deps.open311 } : {}) });
  registerOgcRoutes(app, deps.store, deps.auth);
  await app.ready();
  return app;
}
