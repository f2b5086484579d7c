import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Pool } from '../shared/db.ts';
import { problem, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

/**
 * `Idempotency-Key` on a POST: the first response is stored with a hash of the request; a retry
 * with the same key and body gets that response again, a different body gets 409. Failures on
 * our side (5xx) are not stored, so the client may retry them.
 */
export function registerIdempotency(app: FastifyInstance, pool: Pool): void {
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.principal) return;
    if (key.length === 0 || key.length > 255) {
      return sendProblem(reply, problem(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters.', [{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]));
    }
    const organizationId = request.principal.organizationId;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const claimed = await pool.query(
      `insert into idempotency_keys (organization_id, key, request_hash) values ($1, $2, $3) on conflict do nothing`,
      [organizationId, key, hash],
    );
    if (claimed.rowCount === 1) {
      request.idempotencyKey = key;
      return;
    }
    const { rows } = await pool.query(
      `select request_hash, response_status, response_body from idempotency_keys where organization_id = $1 and key = $2`,
      [organizationId, key],
    );
    const stored = rows[0];
    if (!stored || stored.request_hash !== hash) {
      return sendProblem(reply, problem(409, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request; use a new key.'));
    }
    if (stored.response_status === null) {
      return sendProblem(reply, problem(409, 'idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.'));
    }
    const contentType = stored.response_status >= 400 ? 'application/problem+json' : 'application/json';
    return reply.status(stored.response_status).header('idempotent-replayed', 'true').type(contentType).send(stored.response_body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.principal) return payload;
    const organizationId = request.principal.organizationId;
    if (reply.statusCode >= 500) {
      await pool.query(`delete from idempotency_keys where organization_id = $1 and key = $2`, [organizationId, key]);
    } else {
      await pool.query(
        `update idempotency_keys set response_status = $3, response_body = $4 where organization_id = $1 and key = $2`,
        [organizationId, key, reply.statusCode, typeof payload === 'string' ? payload : JSON.stringify(payload ?? null)],
      );
    }
    return payload;
  });
}

/** JSON with object keys sorted: the same request written in another key order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
