import type { Queryable, Tx } from '../../shared/db.ts';
import { assert } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { formatDocumentNumber } from './document-number.ts';

export type DocumentType = 'invoice' | 'credit_note' | 'quote';

export type NumberSeries = { id: string; documentType: DocumentType; pattern: string; resetYearly: boolean };

export const DEFAULT_PATTERNS: Record<DocumentType, string> = {
  invoice: 'INV-{YYYY}-{seq:4}',
  credit_note: 'CN-{YYYY}-{seq:4}',
  quote: 'QUO-{YYYY}-{seq:4}',
};

export async function createDefaultNumberSeries(tx: Tx, organizationId: string): Promise<void> {
  for (const [documentType, pattern] of Object.entries(DEFAULT_PATTERNS)) {
    await tx.query(
      `insert into number_series (id, organization_id, document_type, pattern, reset_yearly) values ($1, $2, $3, $4, true)`,
      [newId('ser'), organizationId, documentType, pattern],
    );
  }
}

export async function listNumberSeries(db: Queryable, organizationId: string): Promise<NumberSeries[]> {
  const { rows } = await db.query(
    `select id, document_type, pattern, reset_yearly from number_series where organization_id = $1 order by document_type`,
    [organizationId],
  );
  return rows.map((row) => ({ id: row.id, documentType: row.document_type, pattern: row.pattern, resetYearly: row.reset_yearly }));
}

export async function updateNumberSeries(tx: Tx, organizationId: string, documentType: DocumentType, pattern: string, resetYearly: boolean): Promise<void> {
  await tx.query(
    `update number_series set pattern = $3, reset_yearly = $4 where organization_id = $1 and document_type = $2`,
    [organizationId, documentType, pattern, resetYearly],
  );
}

/**
 * Takes the next number of a series inside the caller's transaction. The upsert locks the
 * counter row until commit, so concurrent issuers queue and a rollback returns the number:
 * numbers are gapless, never "highest + 1".
 */
export async function takeNextNumber(tx: Tx, organizationId: string, documentType: DocumentType, issueDate: string): Promise<string> {
  const { rows } = await tx.query(
    `with series as (
       select id, pattern, case when reset_yearly then extract(year from $3::date)::int else 0 end as period
       from number_series where organization_id = $1 and document_type = $2
     )
     insert into number_counters (series_id, period, last_value)
     select id, period, 1 from series
     on conflict (series_id, period) do update set last_value = number_counters.last_value + 1
     returning last_value::text, (select pattern from series)`,
    [organizationId, documentType, issueDate],
  );
  const row = rows[0];
  assert(row, `organization ${organizationId} has no ${documentType} number series`);
  return formatDocumentNumber(row.pattern, issueDate, BigInt(row.last_value));
}
