import { inTransaction, type Pool } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { assertPassword, hashPassword } from './passwords.ts';
import { normalizeEmail } from './tokens.ts';
import { setPasswordHash } from './user-store.ts';

/**
 * Sets (or replaces) the password of a user found by address, e.g. for an owner created by
 * `accrue init`, who has none. Existing sessions stay signed in.
 */
export async function setUserPassword(pool: Pool, organizationId: string, email: string, password: string): Promise<{ userId: string }> {
  assertPassword(password);
  const passwordHash = await hashPassword(password);
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query(`select id, email from users where organization_id = $1 and lower(email) = $2 for update`, [organizationId, normalizeEmail(email)]);
    if (!rows[0]) throw notFound('user', email);
    await setPasswordHash(tx, { id: rows[0].id, email: rows[0].email }, passwordHash);
    return { userId: rows[0].id as string };
  });
}
