import type { Queryable, Tx } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';

export type PaymentMethod = 'bank_transfer' | 'card' | 'cash' | 'cheque' | 'other';
export const PAYMENT_METHODS = ['bank_transfer', 'card', 'cash', 'cheque', 'other'] as const satisfies readonly PaymentMethod[];

export type Allocation = { invoiceId: string; invoiceNumber: string; amountMinor: bigint };

export type Payment = {
  id: string;
  customerId: string;
  amountMinor: bigint;
  currency: string;
  receivedOn: string;
  method: PaymentMethod;
  reference: string | null;
  notes: string | null;
  allocations: Allocation[];
  unallocatedMinor: bigint;
  createdAt: string;
};

export async function insertPayment(
  tx: Tx,
  organizationId: string,
  payment: { id: string; customerId: string; amountMinor: bigint; currency: string; receivedOn: string; method: PaymentMethod; reference: string | null; notes: string | null },
): Promise<void> {
  await tx.query(
    `insert into payments (id, organization_id, customer_id, amount_minor, currency, received_on, method, reference, notes)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [payment.id, organizationId, payment.customerId, payment.amountMinor.toString(), payment.currency, payment.receivedOn, payment.method, payment.reference, payment.notes],
  );
}

const SELECT = `
  select p.*, coalesce((
    select json_agg(json_build_object('invoiceId', s.invoice_id, 'invoiceNumber', i.number, 'amountMinor', s.amount_minor::text) order by s.id)
    from settlements s join invoices i on i.id = s.invoice_id where s.payment_id = p.id), '[]') as allocations
  from payments p`;

function fromRow(row: Record<string, any>): Payment {
  const allocations: Allocation[] = row.allocations.map((a: Record<string, string>) => ({ ...a, amountMinor: BigInt(a.amountMinor!) }));
  const amountMinor = BigInt(row.amount_minor);
  return {
    id: row.id, customerId: row.customer_id, amountMinor, currency: row.currency, receivedOn: row.received_on, method: row.method,
    reference: row.reference, notes: row.notes, allocations,
    unallocatedMinor: allocations.reduce((rest, allocation) => rest - allocation.amountMinor, amountMinor),
    createdAt: row.created_at.toISOString(),
  };
}

export async function findPayment(db: Queryable, organizationId: string, id: string): Promise<Payment> {
  const { rows } = await db.query(`${SELECT} where p.organization_id = $1 and p.id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('payment', id);
  return fromRow(rows[0]);
}

export async function listPaymentRows(
  db: Queryable,
  organizationId: string,
  filter: { customerId?: string; cursor?: string; limit: number },
): Promise<Page<Payment>> {
  const after = decodeCursor(filter.cursor, 1)?.[0] ?? null;
  const { rows } = await db.query(
    `${SELECT} where p.organization_id = $1 and ($2::text is null or p.customer_id = $2) and ($3::text is null or p.id < $3)
     order by p.id desc limit $4`,
    [organizationId, filter.customerId ?? null, after, filter.limit + 1],
  );
  return pageOf(rows.map(fromRow), filter.limit, (payment) => [payment.id]);
}

/** Customer credit from payments and credit notes, as the documents tell it: the ledger must agree. */
export async function creditBalancesFromDocuments(db: Queryable, organizationId: string): Promise<Map<string, bigint>> {
  const { rows } = await db.query(
    `select customer_id, currency, sum(amount)::text as credit from (
       select p.customer_id, p.currency, p.amount_minor - coalesce((select sum(s.amount_minor) from settlements s where s.payment_id = p.id), 0) as amount
       from payments p where p.organization_id = $1
       union all
       select customer_id, currency, credited_minor from credit_notes where organization_id = $1
       union all
       select i.customer_id, i.currency, -s.amount_minor from settlements s join invoices i on i.id = s.invoice_id
       where s.organization_id = $1 and s.kind = 'customer_credit'
     ) t group by customer_id, currency having sum(amount) <> 0`,
    [organizationId],
  );
  return new Map(rows.map((row) => [`${row.customer_id}/${row.currency}`, BigInt(row.credit)]));
}
