import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { principalOf, SESSION_COOKIE, setSessionCookie, clearSessionCookie } from '../auth.ts';
import { describeSession, endSession, endSessionOfToken, signIn, type StartedSession } from '../../modules/access/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Pool } from '../../shared/db.ts';
import { DomainError } from '../../shared/errors.ts';
import { problem, sendProblem } from '../problem.ts';
import { Problem } from '../schemas.ts';

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('bookkeeper'), Type.Literal('member')]);

export const SessionResponse = Type.Object(
  {
    user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: Role }),
    organization: Type.Object({ id: Type.String(), legalName: Type.String(), baseCurrency: Type.String(), timeZone: Type.String(), locale: Type.String() }),
    csrfToken: Type.String({ description: 'send it as the X-CSRF-Token header on every request that is not GET, HEAD or OPTIONS' }),
  },
  { description: 'who is signed in; the session itself travels in the accrue_session cookie (HttpOnly)' },
);

/** Strings people type: not blank, and long enough for any real one. */
export const Password = Type.String({ minLength: 1, maxLength: 1000, description: 'at least 10 characters' });
export const EmailAddress = Type.String({ minLength: 1, maxLength: 254, description: 'an e-mail address' });

/** Sets the session cookie and answers with who is signed in; a session the browser had before is ended. */
export async function sendSession(
  { pool, clock }: { pool: Pool; clock: Clock }, request: FastifyRequest, reply: FastifyReply, status: 200 | 201, started: StartedSession,
): Promise<FastifyReply> {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous && previous !== started.token) await endSessionOfToken(pool, previous);
  const body = await describeSession(pool, started);
  setSessionCookie(request, reply, started.token, started.expiresAt, clock.now());
  return reply.status(status).send(body);
}

export function sessionRoutes(app: AppInstance, deps: RouteDeps): void {
  const { pool } = deps;

  app.post('/v1/session', {
    config: { public: true },
    schema: {
      tags: ['session'], summary: 'Sign in with e-mail and password; sets the accrue_session cookie', security: [],
      body: Type.Object({ email: EmailAddress, password: Password }, { additionalProperties: false }),
      response: { 200: SessionResponse, 400: Problem, 401: Problem, 429: Problem },
    },
  }, async (request, reply) => {
    const result = await signIn(pool, deps.clock, request.body);
    if ('retryAfterSeconds' in result) {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      reply.header('retry-after', String(result.retryAfterSeconds));
      return sendProblem(reply, problem(429, 'too_many_attempts', `Too many failed sign-ins for this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`));
    }
    return sendSession(deps, request, reply, 200, result.signedIn);
  });

  app.get('/v1/session', {
    schema: { tags: ['session'], summary: 'Who is signed in, with the CSRF token', response: { 200: SessionResponse, 401: Problem, 404: Problem } },
  }, async (request) => {
    const { userId, organizationId, session } = principalOf(request);
    if (!session || !userId) throw new DomainError('not_found', 'session_not_found', 'This request is authenticated by an API key, not by a session.');
    return describeSession(pool, { userId, organizationId, csrfToken: session.csrfToken });
  });

  app.delete('/v1/session', {
    schema: { tags: ['session'], summary: 'Sign out: ends the session and clears the cookie', response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem } },
  }, async (request, reply) => {
    const { session } = principalOf(request);
    if (!session) throw new DomainError('not_found', 'session_not_found', 'This request is authenticated by an API key, not by a session.');
    await endSession(pool, session.id);
    clearSessionCookie(request, reply);
    return reply.status(204).send(null);
  });
}
