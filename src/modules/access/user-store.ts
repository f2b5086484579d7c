import type { Queryable, Tx } from '../../shared/db.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import type { Role } from './users.ts';

export type User = { id: string; organizationId: string; email: string; name: string | null; role: Role; createdAt: string };

function fromRow(row: Record<string, any>): User {
  return { id: row.id, organizationId: row.organization_id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at.toISOString() };
}

export async function getUser(db: Queryable, organizationId: string, userId: string): Promise<User> {
  const { rows } = await db.query(`select * from users where organization_id = $1 and id = $2`, [organizationId, userId]);
  if (!rows[0]) throw notFound('user', userId);
  return fromRow(rows[0]);
}

export async function listUsers(db: Queryable, organizationId: string): Promise<User[]> {
  const { rows } = await db.query(`select * from users where organization_id = $1 order by created_at, id`, [organizationId]);
  return rows.map(fromRow);
}

/** The one user who signs in with this address (an address with a password is unique), or null. */
export async function findUserWithPassword(db: Queryable, email: string): Promise<{ id: string; organizationId: string; passwordHash: string } | null> {
  const { rows } = await db.query(
    `select id, organization_id, password_hash from users where lower(email) = $1 and password_hash is not null`,
    [email.toLowerCase()],
  );
  return rows[0] ? { id: rows[0].id, organizationId: rows[0].organization_id, passwordHash: rows[0].password_hash } : null;
}

export async function userExists(db: Queryable, organizationId: string, email: string): Promise<boolean> {
  const { rows } = await db.query(`select 1 from users where organization_id = $1 and lower(email) = $2`, [organizationId, email.toLowerCase()]);
  return rows.length > 0;
}

/**
 * Gives a user a password. An address signs in to one user, so an address that already has a
 * password elsewhere is refused (the unique index `users_email_with_password` is the last guard).
 */
export async function setPasswordHash(tx: Tx, user: { id: string; email: string }, passwordHash: string): Promise<void> {
  const { rows } = await tx.query(
    `select 1 from users where lower(email) = $1 and password_hash is not null and id <> $2`,
    [user.email.toLowerCase(), user.id],
  );
  if (rows.length > 0) throw conflict('email_in_use', `${user.email} already signs in to Accrue; use another address.`, 'email');
  await tx.query(`update users set password_hash = $2 where id = $1`, [user.id, passwordHash]);
}

export async function roleOf(db: Queryable, organizationId: string, userId: string): Promise<Role | null> {
  const { rows } = await db.query(`select role from users where organization_id = $1 and id = $2`, [organizationId, userId]);
  return rows[0]?.role ?? null;
}

export async function organizationsExist(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(`select exists (select 1 from organizations) as present`);
  return rows[0].present;
}
