import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../shared/clock.ts';
import type { Pool } from '../shared/db.ts';
import { registerAuthentication } from './auth.ts';
import { registerErrorHandler } from './error-handler.ts';
import { registerIdempotency } from './idempotency.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { customerRoutes } from './routes/customers.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { organizationRoutes } from './routes/organization.ts';
import { paymentRoutes } from './routes/payments.ts';

export type RouteDeps = { pool: Pool; clock: Clock };
export type AppInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export type AppOptions = RouteDeps & { logger?: boolean | object };

/** The whole HTTP API, without listening: tests use `app.inject`, the server adds `listen`. */
export async function buildApp({ pool, clock, logger = false }: AppOptions): Promise<AppInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, verbose: true, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Accrue API', version: '1', description: 'Billing for service businesses. Amounts are decimal strings beside an ISO 4217 currency.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));

  registerErrorHandler(app);
  registerAuthentication(app, pool);
  registerIdempotency(app, pool);

  const deps = { pool, clock };
  for (const routes of [organizationRoutes, customerRoutes, catalogRoutes, invoiceRoutes, paymentRoutes, ledgerRoutes]) routes(app, deps);
  return app;
}
