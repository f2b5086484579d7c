import type { Clock } from '../../shared/clock.ts';
import type { Pool, Queryable } from '../../shared/db.ts';
import { DomainError } from '../../shared/errors.ts';
import { getOrganization } from './organization.ts';
import { verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { deleteExpiredSessions, deleteSession, findLiveSession, insertSession, touchSession } from './session-store.ts';
import { clearSignInFailures, recordSignInFailure, signInBlockedFor } from './sign-in-throttle.ts';
import { hashToken, normalizeEmail, randomToken } from './tokens.ts';
import { findUserWithPassword, getUser } from './user-store.ts';
import type { Role } from './users.ts';

/** A session lives this long after its last use (sliding), then the person signs in again. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Using a session moves its expiry at most this often, so reads do not write on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** The token goes into the cookie and is never stored; the CSRF token is echoed in a header. */
export type StartedSession = { token: string; csrfToken: string; expiresAt: Date; userId: string; organizationId: string };

export type SessionView = {
  user: { id: string; email: string; name: string | null; role: Role };
  organization: { id: string; legalName: string; baseCurrency: string; timeZone: string; locale: string };
  csrfToken: string;
};

export async function startSession(db: Queryable, clock: Clock, user: { userId: string; organizationId: string }): Promise<StartedSession> {
  const now = clock.now();
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await deleteExpiredSessions(db, user.userId, now);
  await insertSession(db, { id: hashToken(token), ...user, csrfToken, createdAt: now, expiresAt, lastSeenAt: now });
  return { token, csrfToken, expiresAt, ...user };
}

export type SignInResult = { signedIn: StartedSession } | { retryAfterSeconds: number };

/**
 * Checks an address and password. A wrong address and a wrong password get the same answer in
 * about the same time; failures count per address typed, and too many in a row make it wait.
 */
export async function signIn(pool: Pool, clock: Clock, credentials: { email: string; password: string }): Promise<SignInResult> {
  const email = normalizeEmail(credentials.email);
  const now = clock.now();
  const blockedFor = await signInBlockedFor(pool, email, now);
  if (blockedFor !== null) return { retryAfterSeconds: blockedFor };
  const user = await findUserWithPassword(pool, email);
  const matches = await verifyPassword(user?.passwordHash ?? null, credentials.password);
  if (!matches || !user) {
    await recordSignInFailure(pool, email, now);
    throw new DomainError('unauthorized', 'invalid_credentials', 'The e-mail address or the password is wrong.');
  }
  await clearSignInFailures(pool, email);
  return { signedIn: await startSession(pool, clock, { userId: user.id, organizationId: user.organizationId }) };
}

export type AuthenticatedSession = { principal: Principal; expiresAt: Date; extended: boolean };

/** The session a cookie's token names, if it is live; using it pushes its expiry forward. */
export async function authenticateSession(db: Queryable, clock: Clock, token: string): Promise<AuthenticatedSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const now = clock.now();
  const session = await findLiveSession(db, hashToken(token), now);
  if (!session) return null;
  const principal: Principal = {
    organizationId: session.organizationId, userId: session.userId, apiKeyId: null,
    session: { id: session.id.toString('hex'), csrfToken: session.csrfToken },
  };
  if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return { principal, expiresAt: session.expiresAt, extended: false };
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await touchSession(db, session.id, now, expiresAt);
  return { principal, expiresAt, extended: true };
}

/** Signs out: the session is deleted, so its cookie is worthless even if it was copied. */
export async function endSession(db: Queryable, sessionId: string): Promise<void> {
  await deleteSession(db, Buffer.from(sessionId, 'hex'));
}

/** Ends the session a cookie still names, if any (signing in again never keeps the old token alive). */
export async function endSessionOfToken(db: Queryable, token: string): Promise<void> {
  await deleteSession(db, hashToken(token));
}

/** What the web app needs to know about who is signed in. */
export async function describeSession(db: Queryable, session: { userId: string; organizationId: string; csrfToken: string }): Promise<SessionView> {
  const [user, organization] = await Promise.all([getUser(db, session.organizationId, session.userId), getOrganization(db, session.organizationId)]);
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    organization: {
      id: organization.id, legalName: organization.legalName, baseCurrency: organization.baseCurrency,
      timeZone: organization.timeZone, locale: organization.locale,
    },
    csrfToken: session.csrfToken,
  };
}
