import type { Queryable, Tx } from '../../shared/db.ts';
import type { Role } from './users.ts';

export type InvitationRow = {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  role: Exclude<Role, 'owner'>;
  expiresAt: Date;
  acceptedAt: Date | null;
};

export async function insertInvitation(
  tx: Tx,
  invitation: { id: string; organizationId: string; email: string; role: string; tokenHash: Buffer; invitedBy: string | null; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await tx.query(
    `insert into invitations (id, organization_id, email, role, token_hash, invited_by, created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [invitation.id, invitation.organizationId, invitation.email, invitation.role, invitation.tokenHash, invitation.invitedBy, invitation.createdAt, invitation.expiresAt],
  );
}

export async function findInvitationByToken(db: Queryable, tokenHash: Buffer, opts: { lock?: boolean } = {}): Promise<InvitationRow | null> {
  const { rows } = await db.query(
    `select i.id, i.organization_id, o.legal_name, i.email, i.role, i.expires_at, i.accepted_at
     from invitations i join organizations o on o.id = i.organization_id
     where i.token_hash = $1 ${opts.lock ? 'for update of i' : ''}`,
    [tokenHash],
  );
  const row = rows[0];
  return row
    ? { id: row.id, organizationId: row.organization_id, organizationName: row.legal_name, email: row.email, role: row.role, expiresAt: row.expires_at, acceptedAt: row.accepted_at }
    : null;
}

export async function markInvitationAccepted(tx: Tx, id: string, userId: string, at: Date): Promise<void> {
  await tx.query(`update invitations set accepted_at = $2, accepted_by = $3 where id = $1 and accepted_at is null`, [id, at, userId]);
}
