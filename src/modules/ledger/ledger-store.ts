import { transpose, type Queryable, type Tx } from '../../shared/db.ts';
import { newId } from '../../shared/ids.ts';
import { STANDARD_CHART, type SystemAccount } from './accounts.ts';

export async function insertStandardChart(tx: Tx, organizationId: string): Promise<void> {
  const rows = STANDARD_CHART.map((account) => [newId('acc'), account.code, account.name, account.type, account.key]);
  await tx.query(
    `insert into accounts (id, organization_id, code, name, type, system_key)
     select id, $1, code, name, type, system_key
     from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(id, code, name, type, system_key)`,
    [organizationId, ...transpose(rows)],
  );
}

export async function systemAccountIds(db: Queryable, organizationId: string): Promise<Map<SystemAccount, string>> {
  const { rows } = await db.query<{ id: string; system_key: SystemAccount }>(
    `select id, system_key from accounts where organization_id = $1 and system_key is not null`,
    [organizationId],
  );
  return new Map(rows.map((row) => [row.system_key, row.id]));
}

export type JournalLineRow = {
  accountId: string;
  customerId: string | null;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  memo: string | null;
};

export type JournalEntryRow = {
  id: string;
  organizationId: string;
  date: string;
  description: string;
  sourceType: string;
  sourceId: string;
  reversesEntryId: string | null;
  lines: JournalLineRow[];
};

/** Inserts many entries and their lines in one statement: the ledger is on every path that moves money. */
export async function insertJournalEntries(tx: Tx, entries: JournalEntryRow[]): Promise<void> {
  if (entries.length === 0) return;
  const lines = entries.flatMap((e) =>
    e.lines.map((line, index) => [
      e.id, index + 1, e.organizationId, line.accountId, line.customerId, line.currency,
      line.debitMinor.toString(), line.creditMinor.toString(), line.memo,
    ]),
  );
  await tx.query(
    `with entries as (
       insert into journal_entries (id, organization_id, entry_date, description, source_type, source_id, reverses_entry_id)
       select * from unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[])
     )
     insert into journal_lines (entry_id, line_number, organization_id, account_id, customer_id, currency, debit_minor, credit_minor, memo)
     select * from unnest($8::text[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::text[])`,
    [
      ...transpose(entries.map((e) => [e.id, e.organizationId, e.date, e.description, e.sourceType, e.sourceId, e.reversesEntryId])),
      ...transpose(lines),
    ],
  );
}

export async function entriesForSource(db: Queryable, organizationId: string, sourceType: string, sourceId: string): Promise<JournalEntryRow[]> {
  const { rows } = await db.query(
    `select e.id, e.entry_date, e.description, e.reverses_entry_id,
            json_agg(json_build_object('accountId', l.account_id, 'customerId', l.customer_id, 'currency', l.currency,
              'debitMinor', l.debit_minor::text, 'creditMinor', l.credit_minor::text, 'memo', l.memo) order by l.line_number) as lines
     from journal_entries e join journal_lines l on l.entry_id = e.id
     where e.organization_id = $1 and e.source_type = $2 and e.source_id = $3
     group by e.id order by e.id`,
    [organizationId, sourceType, sourceId],
  );
  return rows.map((row) => ({
    id: row.id,
    organizationId,
    date: row.entry_date,
    description: row.description,
    sourceType,
    sourceId,
    reversesEntryId: row.reverses_entry_id,
    lines: row.lines.map((line: Record<string, string | null>) => ({
      ...line,
      debitMinor: BigInt(line.debitMinor as string),
      creditMinor: BigInt(line.creditMinor as string),
    })),
  }));
}
