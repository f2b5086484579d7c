import type { Queryable } from '../../shared/db.ts';

/** At most this many failed sign-ins per address within the window; then the address waits. */
export const MAX_FAILED_SIGN_INS = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

/** Seconds until the address may try again, or null when it may try now. */
export async function signInBlockedFor(db: Queryable, email: string, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const { rows } = await db.query(
    `select failed_at from sign_in_failures where email = $1 and failed_at > $2 order by failed_at desc offset $3 limit 1`,
    [email, since, MAX_FAILED_SIGN_INS - 1],
  );
  if (!rows[0]) return null;
  // Blocked until the oldest of the last MAX failures leaves the window.
  const until = (rows[0].failed_at as Date).getTime() + SIGN_IN_WINDOW_MS;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

export async function recordSignInFailure(db: Queryable, email: string, now: Date): Promise<void> {
  await db.query(`delete from sign_in_failures where failed_at <= $1`, [new Date(now.getTime() - SIGN_IN_WINDOW_MS)]);
  await db.query(`insert into sign_in_failures (email, failed_at) values ($1, $2)`, [email, now]);
}

export async function clearSignInFailures(db: Queryable, email: string): Promise<void> {
  await db.query(`delete from sign_in_failures where email = $1`, [email]);
}
