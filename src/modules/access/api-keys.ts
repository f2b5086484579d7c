import { createHash, randomBytes } from 'node:crypto';
import type { Queryable, Tx } from '../../shared/db.ts';
import { newId } from '../../shared/ids.ts';

/** A key is shown once; only its SHA-256 is stored, so a database leak leaks no keys. */
export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const key = `acr_${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export async function createApiKey(tx: Tx, organizationId: string, userId: string | null, name: string): Promise<{ id: string; key: string }> {
  const { key, prefix, hash } = generateApiKey();
  const id = newId('key');
  await tx.query(
    `insert into api_keys (id, organization_id, user_id, name, prefix, key_hash) values ($1, $2, $3, $4, $5, $6)`,
    [id, organizationId, userId, name, prefix, hash],
  );
  return { id, key };
}

export type Principal = { organizationId: string; userId: string | null; apiKeyId: string };

export async function authenticateApiKey(db: Queryable, key: string): Promise<Principal | null> {
  if (!/^acr_[A-Za-z0-9_-]{32}$/.test(key)) return null;
  const { rows } = await db.query(
    `select id, organization_id, user_id from api_keys where key_hash = $1 and revoked_at is null`,
    [hashApiKey(key)],
  );
  const row = rows[0];
  return row ? { organizationId: row.organization_id, userId: row.user_id, apiKeyId: row.id } : null;
}
