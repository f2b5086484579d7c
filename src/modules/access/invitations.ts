import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable } from '../../shared/db.ts';
import { conflict, DomainError, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { assertEmail } from '../../shared/validation.ts';
import { findInvitationByToken, insertInvitation, markInvitationAccepted, type InvitationRow } from './invitation-store.ts';
import { assertPassword, hashPassword } from './passwords.ts';
import { startSession, type StartedSession } from './sessions.ts';
import { hashToken, normalizeEmail, randomToken } from './tokens.ts';
import { roleOf, setPasswordHash, userExists } from './user-store.ts';
import { insertUser, type Role } from './users.ts';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const INVITABLE_ROLES = ['admin', 'bookkeeper', 'member'] as const satisfies readonly Role[];
export type InvitableRole = (typeof INVITABLE_ROLES)[number];


export type CreatedInvitation = { id: string; email: string; role: InvitableRole; token: string; url: string; expiresAt: string };

/**
 * Owners and admins invite people by address and role. The token is shown once (in the link)
 * and stored as its hash; it works for seven days and for one acceptance.
 */
export async function createInvitation(
  pool: Pool,
  clock: Clock,
  actor: { organizationId: string; userId: string | null },
  input: { email: string; role: InvitableRole },
): Promise<CreatedInvitation> {
  const email = normalizeEmail(assertEmail(input.email, 'email'));
  if (!INVITABLE_ROLES.includes(input.role)) throw invalid('role', `must be one of ${INVITABLE_ROLES.join(', ')}`);
  return inTransaction(pool, async (tx) => {
    // An API key of no one acts for the organization; a person needs to be an owner or admin.
    const role = actor.userId === null ? 'admin' : await roleOf(tx, actor.organizationId, actor.userId);
    if (role !== 'owner' && role !== 'admin') throw new DomainError('forbidden', 'forbidden', 'Only owners and admins can invite people.');
    if (await userExists(tx, actor.organizationId, email)) throw conflict('user_exists', `${email} is already a user of this organization.`, 'email');
    const now = clock.now();
    const token = randomToken();
    const id = newId('ivt');
    const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
    await insertInvitation(tx, {
      id, organizationId: actor.organizationId, email, role: input.role, tokenHash: hashToken(token), invitedBy: actor.userId, createdAt: now, expiresAt,
    });
    return { id, email, role: input.role, token, url: `/invite/${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
  });
}

/** An invitation that can still be accepted; otherwise a 404 that says why. */
async function usableInvitation(db: Queryable, clock: Clock, token: string, opts: { lock?: boolean } = {}): Promise<InvitationRow> {
  const invitation = /^[A-Za-z0-9_-]{43}$/.test(token) ? await findInvitationByToken(db, hashToken(token), opts) : null;
  if (!invitation) throw new DomainError('not_found', 'invitation_not_found', 'This invitation link is not valid; ask for a new one.');
  if (invitation.acceptedAt) throw new DomainError('not_found', 'invitation_already_accepted', 'This invitation was already accepted; sign in instead.');
  if (invitation.expiresAt.getTime() <= clock.now().getTime()) {
    throw new DomainError('not_found', 'invitation_expired', 'This invitation has expired; ask for a new one.');
  }
  return invitation;
}

export async function getInvitation(db: Queryable, clock: Clock, token: string): Promise<{ email: string; role: InvitableRole; organizationName: string }> {
  const invitation = await usableInvitation(db, clock, token);
  return { email: invitation.email, role: invitation.role, organizationName: invitation.organizationName };
}

/** Accepting creates the user with a name and password and signs them in; the invitation is used up. */
export async function acceptInvitation(pool: Pool, clock: Clock, token: string, input: { name: string; password: string }): Promise<StartedSession> {
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be empty');
  assertPassword(input.password);
  await usableInvitation(pool, clock, token); // refuse early, before spending time on the hash
  const passwordHash = await hashPassword(input.password);
  return inTransaction(pool, async (tx) => {
    const invitation = await usableInvitation(tx, clock, token, { lock: true });
    if (await userExists(tx, invitation.organizationId, invitation.email)) {
      throw conflict('user_exists', `${invitation.email} is already a user of this organization; sign in instead.`);
    }
    const userId = newId('usr');
    await insertUser(tx, { id: userId, organizationId: invitation.organizationId, email: invitation.email, role: invitation.role, name });
    await setPasswordHash(tx, { id: userId, email: invitation.email }, passwordHash);
    await markInvitationAccepted(tx, invitation.id, userId, clock.now());
    return startSession(tx, clock, { userId, organizationId: invitation.organizationId });
  });
}
