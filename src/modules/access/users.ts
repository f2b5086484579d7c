import type { Tx } from '../../shared/db.ts';

export type Role = 'owner' | 'admin' | 'bookkeeper' | 'member';

export async function insertUser(tx: Tx, user: { id: string; organizationId: string; email: string; role: Role; name?: string | null }): Promise<void> {
  await tx.query(
    `insert into users (id, organization_id, email, role, name) values ($1, $2, $3, $4, $5)`,
    [user.id, user.organizationId, user.email.toLowerCase(), user.role, user.name ?? null],
  );
}
