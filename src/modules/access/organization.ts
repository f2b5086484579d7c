import type { Queryable, Tx } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';

export type Address = { line1: string; line2?: string; city: string; postalCode: string; region?: string; country: string };

export type Organization = {
  id: string;
  legalName: string;
  taxId: string | null;
  address: Address | null;
  email: string | null;
  baseCurrency: string;
  timeZone: string;
  locale: string;
  roundingMode: 'half_up' | 'half_even';
  allowNegativeStock: boolean;
  createdAt: string;
};

function fromRow(row: Record<string, any>): Organization {
  return {
    id: row.id, legalName: row.legal_name, taxId: row.tax_id, address: row.address, email: row.email,
    baseCurrency: row.base_currency, timeZone: row.time_zone, locale: row.locale, roundingMode: row.rounding_mode,
    allowNegativeStock: row.allow_negative_stock,
    createdAt: row.created_at.toISOString(),
  };
}

export async function getOrganization(db: Queryable, organizationId: string): Promise<Organization> {
  const { rows } = await db.query(`select * from organizations where id = $1`, [organizationId]);
  if (!rows[0]) throw notFound('organization', organizationId);
  return fromRow(rows[0]);
}

export type OrganizationChanges = Partial<Pick<Organization, 'legalName' | 'taxId' | 'address' | 'email' | 'timeZone' | 'locale' | 'roundingMode' | 'allowNegativeStock'>>;

export async function updateOrganization(tx: Tx, organizationId: string, changes: OrganizationChanges): Promise<Organization> {
  const { rows } = await tx.query(
    `update organizations set
       legal_name = coalesce($2, legal_name), tax_id = case when $3::boolean then $4 else tax_id end,
       address = case when $5::boolean then $6::jsonb else address end, email = case when $7::boolean then $8 else email end,
       time_zone = coalesce($9, time_zone), locale = coalesce($10, locale), rounding_mode = coalesce($11, rounding_mode),
       allow_negative_stock = coalesce($12, allow_negative_stock)
     where id = $1 returning *`,
    [
      organizationId, changes.legalName ?? null,
      'taxId' in changes, changes.taxId ?? null,
      'address' in changes, changes.address ? JSON.stringify(changes.address) : null,
      'email' in changes, changes.email ?? null,
      changes.timeZone ?? null, changes.locale ?? null, changes.roundingMode ?? null, changes.allowNegativeStock ?? null,
    ],
  );
  if (!rows[0]) throw notFound('organization', organizationId);
  return fromRow(rows[0]);
}

export async function insertOrganization(
  tx: Tx,
  organization: { id: string; legalName: string; baseCurrency: string; timeZone: string; locale: string; email: string },
): Promise<void> {
  await tx.query(
    `insert into organizations (id, legal_name, base_currency, time_zone, locale, email) values ($1, $2, $3, $4, $5, $6)`,
    [organization.id, organization.legalName, organization.baseCurrency, organization.timeZone, organization.locale, organization.email],
  );
}

export async function listOrganizations(db: Queryable): Promise<Array<{ id: string; legalName: string }>> {
  const { rows } = await db.query(`select id, legal_name from organizations order by id`);
  return rows.map((row) => ({ id: row.id, legalName: row.legal_name }));
}
