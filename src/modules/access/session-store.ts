import type { Queryable } from '../../shared/db.ts';

export type SessionRow = { id: Buffer; userId: string; organizationId: string; csrfToken: string; expiresAt: Date; lastSeenAt: Date };

export async function insertSession(db: Queryable, session: SessionRow & { createdAt: Date }): Promise<void> {
  await db.query(
    `insert into sessions (id, user_id, organization_id, csrf_token, created_at, expires_at, last_seen_at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [session.id, session.userId, session.organizationId, session.csrfToken, session.createdAt, session.expiresAt, session.lastSeenAt],
  );
}

/** A session that has not expired at `now`. */
export async function findLiveSession(db: Queryable, id: Buffer, now: Date): Promise<SessionRow | null> {
  const { rows } = await db.query(
    `select id, user_id, organization_id, csrf_token, expires_at, last_seen_at from sessions where id = $1 and expires_at > $2`,
    [id, now],
  );
  const row = rows[0];
  return row
    ? { id: row.id, userId: row.user_id, organizationId: row.organization_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at }
    : null;
}

export async function touchSession(db: Queryable, id: Buffer, now: Date, expiresAt: Date): Promise<void> {
  await db.query(`update sessions set last_seen_at = $2, expires_at = greatest(expires_at, $3) where id = $1`, [id, now, expiresAt]);
}

export async function deleteSession(db: Queryable, id: Buffer): Promise<void> {
  await db.query(`delete from sessions where id = $1`, [id]);
}

/** Expired sessions are useless; a user's are removed when they sign in again. */
export async function deleteExpiredSessions(db: Queryable, userId: string, now: Date): Promise<void> {
  await db.query(`delete from sessions where user_id = $1 and expires_at <= $2`, [userId, now]);
}
