import type { Queryable, Tx } from '../../shared/db.ts';
import { transpose } from '../../shared/db.ts';
import { newId } from '../../shared/ids.ts';

/** An issued invoice with money still owed on it, as seen under a row lock. */
export type OpenInvoice = {
  id: string;
  number: string;
  customerId: string;
  currency: string;
  state: 'draft' | 'issued' | 'void';
  dueDate: string | null;
  totalMinor: bigint;
  openMinor: bigint;
};

const OPEN_SELECT = `
  select i.id, i.number, i.customer_id, i.currency, i.state, i.due_date, i.total_minor,
         i.total_minor - coalesce((select sum(amount_minor) from settlements s where s.invoice_id = i.id), 0) as open_minor
  from invoices i`;

function fromRow(row: Record<string, any>): OpenInvoice {
  return {
    id: row.id, number: row.number, customerId: row.customer_id, currency: row.currency, state: row.state,
    dueDate: row.due_date, totalMinor: BigInt(row.total_minor), openMinor: BigInt(row.open_minor),
  };
}

/** Locks the given invoices (in id order, so concurrent settlers never deadlock) and reads what is open. */
export async function lockInvoices(tx: Tx, organizationId: string, ids: string[]): Promise<Map<string, OpenInvoice>> {
  await tx.query(`select 1 from invoices where organization_id = $1 and id = any($2::text[]) order by id for update`, [organizationId, ids]);
  const { rows } = await tx.query(`${OPEN_SELECT} where i.organization_id = $1 and i.id = any($2::text[])`, [organizationId, ids]);
  return new Map(rows.map((row) => [row.id as string, fromRow(row)]));
}

/** A customer's open invoices in one currency, oldest due first: the default order to pay them in. */
export async function lockOpenInvoices(tx: Tx, organizationId: string, customerId: string, currency: string): Promise<OpenInvoice[]> {
  const { rows } = await tx.query(
    `select id from invoices where organization_id = $1 and customer_id = $2 and currency = $3 and state = 'issued' order by id for update`,
    [organizationId, customerId, currency],
  );
  const locked = await lockInvoices(tx, organizationId, rows.map((row) => row.id));
  return [...locked.values()]
    .filter((invoice) => invoice.openMinor > 0n)
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || a.number.localeCompare(b.number, undefined, { numeric: true }));
}

export type NewSettlement = {
  invoiceId: string;
  kind: 'payment' | 'credit_note' | 'customer_credit';
  paymentId?: string;
  creditNoteId?: string;
  amountMinor: bigint;
  settledOn: string;
};

export async function insertSettlements(tx: Tx, organizationId: string, settlements: NewSettlement[]): Promise<void> {
  if (settlements.length === 0) return;
  await tx.query(
    `insert into settlements (id, organization_id, invoice_id, kind, payment_id, credit_note_id, amount_minor, settled_on)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::date[])`,
    transpose(settlements.map((s) => [
      newId('alc'), organizationId, s.invoiceId, s.kind, s.paymentId ?? null, s.creditNoteId ?? null, s.amountMinor.toString(), s.settledOn,
    ])),
  );
}

/** What each customer still owes per currency, from the documents: the ledger must agree. */
export async function openBalancesByCustomer(db: Queryable, organizationId: string): Promise<Map<string, bigint>> {
  const { rows } = await db.query(
    `select o.customer_id, o.currency, sum(o.open_minor)::text as open
     from (${OPEN_SELECT} where i.organization_id = $1 and i.state = 'issued') o
     group by o.customer_id, o.currency having sum(o.open_minor) <> 0`,
    [organizationId],
  );
  return new Map(rows.map((row) => [`${row.customer_id}/${row.currency}`, BigInt(row.open)]));
}
