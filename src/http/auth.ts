import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from '../shared/db.ts';
import { authenticateApiKey, type Principal } from '../modules/access/index.ts';
import { problem, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The organization a request acts for; every `/v1` handler runs after authentication. */
export function organizationOf(request: FastifyRequest): string {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal.organizationId;
}

export function registerAuthentication(app: FastifyInstance, pool: Pool): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    request.principal = match ? await authenticateApiKey(pool, match[1]!) : null;
    if (!request.principal) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(reply, problem(401, 'unauthorized', header ? 'The API key is not valid.' : 'Send an API key as "Authorization: Bearer <key>".'));
    }
  });
}
