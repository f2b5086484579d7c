import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../shared/clock.ts';
import type { Pool } from '../shared/db.ts';
import { registerAuthentication } from './auth.ts';
import { registerErrorHandler } from './error-handler.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerValidators } from './validation.ts';
import { problem, sendProblem } from './problem.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { contractRoutes } from './routes/contracts.ts';
import { customerRoutes } from './routes/customers.ts';
import { importRoutes } from './routes/imports.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { organizationRoutes } from './routes/organization.ts';
import { paymentRoutes } from './routes/payments.ts';
import { quoteRoutes } from './routes/quotes.ts';
import { sessionRoutes } from './routes/session.ts';
import { setupRoutes } from './routes/setup.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { userRoutes } from './routes/users.ts';
import { workRoutes } from './routes/work.ts';

export type RouteDeps = { pool: Pool; clock: Clock };
export type AppInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export type AppOptions = RouteDeps & {
  logger?: boolean | object;
  /** The built web app (`npm run build` in web/); served when it holds an index.html. */
  webDist?: string;
};

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The whole HTTP API, without listening: tests use `app.inject`, the server adds `listen`. */
export async function buildApp({ pool, clock, logger = false, webDist = DEFAULT_WEB_DIST }: AppOptions): Promise<AppInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Accrue API', version: '1', description: 'Billing for service businesses. Amounts are decimal strings beside an ISO 4217 currency.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: {
            type: 'apiKey', in: 'cookie', name: 'accrue_session',
            description: 'Set by POST /v1/session. Requests other than GET, HEAD and OPTIONS must also send the csrfToken of the session as X-CSRF-Token.',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));

  registerValidators(app);
  // JSON only: other bodies (text/plain included, which Fastify parses by default) get 415.
  app.removeContentTypeParser('text/plain');
  registerErrorHandler(app);
  await app.register(cookie); // parses cookies in onRequest, before authentication reads them
  registerAuthentication(app, pool, clock);
  registerIdempotency(app, pool);

  const deps = { pool, clock };
  for (const routes of [
    setupRoutes, sessionRoutes, userRoutes, organizationRoutes, customerRoutes, catalogRoutes, invoiceRoutes, approvalRoutes, quoteRoutes, paymentRoutes, ledgerRoutes, dashboardRoutes,
  ]) routes(app, deps);
  workRoutes(app, deps); // projects, time, expenses, approvals, unbilled work
  subscriptionRoutes(app, deps); // subscriptions, usage, billing runs
  importRoutes(app, deps); // CSV imports of time entries
  contractRoutes(app, deps); // fixed-price schedules and milestones (retainers bill from the project's terms)
  if (existsSync(path.join(webDist, 'index.html'))) await serveWebApp(app, webDist);
  return app;
}

/** Paths the web app never answers: the API, its documents and the health check. */
const NOT_THE_WEB_APP = /^\/(v1(\/|$)|docs($|[/?])|openapi\.json($|\?)|health($|\?))/;

/**
 * The built web app at `/`: its files as they are (hashed assets cached for good, the rest
 * revalidated), and index.html for any other page a browser asks for, so the client-side router
 * can take deep links such as /invoices/inv_... or /invite/<token>.
 */
async function serveWebApp(app: AppInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root, prefix: '/', wildcard: false,
    setHeaders(reply, filePath) {
      const immutable = filePath.startsWith(path.join(root, 'assets') + path.sep);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (!wantsHtml || NOT_THE_WEB_APP.test(request.url)) {
      return sendProblem(reply, problem(404, 'route_not_found', `There is no ${request.method} ${request.url.split('?')[0]}.`));
    }
    return reply.header('cache-control', 'no-cache').header('x-frame-options', 'DENY').sendFile('index.html');
  });
}
