import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import type { Pool } from '../shared/db.ts';
import { authenticateApiKey, authenticateSession, sameSecret, type Principal } from '../modules/access/index.ts';
import { problem, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** A `/v1` route anyone may call: setup, sign-in, invitations by token, quotes by token (`/v1/public/quotes/:token`). */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'accrue_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The organization a request acts for; every `/v1` handler runs after authentication. */
export function organizationOf(request: FastifyRequest): string {
  return principalOf(request).organizationId;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal;
}

/** Behind a TLS-terminating proxy the request itself is plain http; the proxy says what the browser used. */
function cameOverHttps(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return request.protocol === 'https' || first === 'https';
}

const cookieOptions = (request: FastifyRequest) => ({ httpOnly: true, sameSite: 'lax' as const, path: '/', secure: cameOverHttps(request) });

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date, now: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request), maxAge });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

/**
 * A `/v1` request is authenticated by `Authorization: Bearer <api key>` (programs) or by the
 * session cookie (people). A cookie is sent by the browser on its own, so a cookie-authenticated
 * request that changes something must also carry the session's CSRF token in `X-CSRF-Token`,
 * which another site cannot read. Needs @fastify/cookie registered first.
 */
export function registerAuthentication(app: FastifyInstance, pool: Pool, clock: Clock): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const isApi = request.url.startsWith('/v1/') || request.routeOptions.url?.startsWith('/v1/');
    if (!isApi || request.routeOptions.config?.public) return;

    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const key = match ? await authenticateApiKey(pool, match[1]!) : null;
      if (!key) {
        reply.header('www-authenticate', 'Bearer');
        return sendProblem(reply, problem(401, 'unauthorized', 'The API key is not valid.'));
      }
      request.principal = { ...key, session: null };
      return;
    }

    const token = request.cookies[SESSION_COOKIE];
    const authenticated = token ? await authenticateSession(pool, clock, token) : null;
    if (!authenticated) {
      reply.header('www-authenticate', 'Bearer');
      if (token) clearSessionCookie(request, reply);
      return sendProblem(reply, problem(401, 'unauthorized', token
        ? 'Your session has ended; sign in again.'
        : 'Sign in, or send an API key as "Authorization: Bearer <key>".'));
    }
    const { principal } = authenticated;
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameSecret(given, principal.session!.csrfToken)) {
        return sendProblem(reply, problem(403, 'csrf_token_invalid', 'Send the csrfToken of your session in the X-CSRF-Token header.'));
      }
    }
    if (authenticated.extended) setSessionCookie(request, reply, token!, authenticated.expiresAt, clock.now()); // the cookie slides too
    request.principal = principal;
  });
}
