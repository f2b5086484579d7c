import type { Queryable, Tx } from '../../shared/db.ts';
import { containsPattern, named, transpose } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import { deriveStatus, type Invoice, type InvoiceLine, type InvoiceStatus, type TaxBreakdownLine } from './invoice.ts';

export type InvoiceRow = Omit<Invoice, 'lines' | 'status' | 'amountPaidMinor' | 'amountCreditedMinor' | 'amountDueMinor'>;
export type NewLine = Omit<InvoiceLine, 'id'> & { id: string };

const SETTLED = `
  left join lateral (
    select coalesce(sum(s.amount_minor) filter (where s.kind <> 'credit_note'), 0) as paid,
           coalesce(sum(s.amount_minor) filter (where s.kind = 'credit_note'), 0) as credited
    from settlements s where s.invoice_id = i.id
  ) settled on true`;

/** The derived status in SQL, for filtering lists; `deriveStatus` is the same rule in code. */
const STATUS_SQL = `case
  when i.state <> 'issued' then i.state
  when settled.paid + settled.credited >= i.total_minor then 'paid'
  when i.due_date < $today then 'overdue'
  when settled.paid + settled.credited > 0 then 'partially_paid'
  else 'open' end`;

function breakdownFromJson(list: Array<Record<string, any>>): TaxBreakdownLine[] {
  return list.map((entry) => ({ ...entry, taxableMinor: BigInt(entry.taxableMinor), taxMinor: BigInt(entry.taxMinor) }) as TaxBreakdownLine);
}

export function breakdownToJson(list: TaxBreakdownLine[]): string {
  return JSON.stringify(list.map((entry) => ({ ...entry, taxableMinor: entry.taxableMinor.toString(), taxMinor: entry.taxMinor.toString() })));
}

function rowToInvoice(row: Record<string, any>): InvoiceRow & { paidMinor: bigint; creditedMinor: bigint } {
  return {
    id: row.id, customerId: row.customer_id, state: row.state, number: row.number, currency: row.currency,
    priceMode: row.price_mode, discountPercent: row.discount_percent_text, issueDate: row.issue_date, dueDate: row.due_date,
    purchaseOrder: row.purchase_order, reference: row.reference, notes: row.notes, terms: row.terms,
    subtotalMinor: BigInt(row.subtotal_minor), discountTotalMinor: BigInt(row.discount_total_minor),
    taxTotalMinor: BigInt(row.tax_total_minor), totalMinor: BigInt(row.total_minor),
    taxBreakdown: breakdownFromJson(row.tax_breakdown), customerSnapshot: row.customer_snapshot, voidReason: row.void_reason,
    createdAt: row.created_at.toISOString(), issuedAt: row.issued_at?.toISOString() ?? null, voidedAt: row.voided_at?.toISOString() ?? null,
    paidMinor: BigInt(row.paid), creditedMinor: BigInt(row.credited),
  };
}

function lineFromRow(row: Record<string, any>): InvoiceLine {
  return {
    id: row.id, position: row.position, itemId: row.item_id, description: row.description, quantity: row.quantity_text,
    unit: row.unit, unitPrice: row.unit_price_text, discountPercent: row.discount_percent_text, taxes: row.taxes,
    serviceStart: row.service_start, serviceEnd: row.service_end,
    amountMinor: BigInt(row.amount_minor), discountMinor: BigInt(row.discount_minor), netMinor: BigInt(row.net_minor),
  };
}

function withStatus(row: ReturnType<typeof rowToInvoice>, lines: InvoiceLine[], today: string): Invoice {
  const { paidMinor, creditedMinor, ...invoice } = row;
  const settled = paidMinor + creditedMinor;
  return {
    ...invoice,
    lines,
    status: deriveStatus(invoice, settled, today),
    amountPaidMinor: paidMinor,
    amountCreditedMinor: creditedMinor,
    amountDueMinor: invoice.state === 'issued' ? invoice.totalMinor - settled : invoice.state === 'draft' ? invoice.totalMinor : 0n,
  };
}

const INVOICE_SELECT = `select i.*, trim_scale(i.discount_percent)::text as discount_percent_text, settled.paid, settled.credited from invoices i ${SETTLED}`;

export async function findInvoice(db: Queryable, organizationId: string, id: string, today: string, opts: { lock?: boolean } = {}): Promise<Invoice> {
  if (opts.lock) await db.query(`select 1 from invoices where organization_id = $1 and id = $2 for update`, [organizationId, id]);
  const { rows } = await db.query(`${INVOICE_SELECT} where i.organization_id = $1 and i.id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('invoice', id);
  const lines = await db.query(
    `select *, trim_scale(quantity)::text as quantity_text, trim_scale(unit_price)::text as unit_price_text,
            trim_scale(discount_percent)::text as discount_percent_text
     from invoice_lines where invoice_id = $1 order by position`,
    [id],
  );
  return withStatus(rowToInvoice(rows[0]), lines.rows.map(lineFromRow), today);
}

export type InvoiceFilter = {
  status?: InvoiceStatus;
  customerId?: string;
  issuedFrom?: string;
  issuedTo?: string;
  search?: string;
  cursor?: string;
  limit: number;
};

/** Newest first (ids are time-sortable); lines are left out of lists, totals are not. */
export async function listInvoiceRows(db: Queryable, organizationId: string, filter: InvoiceFilter, today: string): Promise<Page<Invoice>> {
  const after = decodeCursor(filter.cursor, 1)?.[0] ?? null;
  const params: Record<string, unknown> = {
    org: organizationId, today, status: filter.status ?? null, customer: filter.customerId ?? null,
    from: filter.issuedFrom ?? null, to: filter.issuedTo ?? null, after, limit: filter.limit + 1,
    search: containsPattern(filter.search),
  };
  const { text, values } = named(
    `${INVOICE_SELECT}
     where i.organization_id = $org
       and ($status::text is null or ${STATUS_SQL} = $status)
       and ($customer::text is null or i.customer_id = $customer)
       and ($from::date is null or i.issue_date >= $from) and ($to::date is null or i.issue_date <= $to)
       and ($search::text is null or i.number ilike $search or i.reference ilike $search or i.purchase_order ilike $search)
       and ($after::text is null or i.id < $after)
     order by i.id desc limit $limit`,
    params,
  );
  const { rows } = await db.query(text, values);
  return pageOf(rows.map((row) => withStatus(rowToInvoice(row), [], today)), filter.limit, (invoice) => [invoice.id]);
}

export type InvoiceHeader = {
  id: string;
  customerId: string;
  currency: string;
  priceMode: string;
  discountPercent: string;
  purchaseOrder: string | null;
  reference: string | null;
  notes: string | null;
  terms: string | null;
  subtotalMinor: bigint;
  discountTotalMinor: bigint;
  taxTotalMinor: bigint;
  totalMinor: bigint;
  taxBreakdown: TaxBreakdownLine[];
};

function headerValues(organizationId: string, header: InvoiceHeader): unknown[] {
  return [
    header.id, organizationId, header.customerId, header.currency, header.priceMode, header.discountPercent,
    header.purchaseOrder, header.reference, header.notes, header.terms, header.subtotalMinor.toString(),
    header.discountTotalMinor.toString(), header.taxTotalMinor.toString(), header.totalMinor.toString(),
    breakdownToJson(header.taxBreakdown),
  ];
}

export async function insertDraft(tx: Tx, organizationId: string, header: InvoiceHeader, lines: NewLine[]): Promise<void> {
  await insertDrafts(tx, organizationId, [{ header, lines }]);
}

/** Many drafts in two statements (headers, then every line): what a billing run writes per batch. */
export async function insertDrafts(tx: Tx, organizationId: string, drafts: Array<{ header: InvoiceHeader; lines: NewLine[] }>): Promise<void> {
  if (drafts.length === 0) return;
  await tx.query(
    `insert into invoices (id, organization_id, customer_id, currency, price_mode, discount_percent, purchase_order, reference,
       notes, terms, subtotal_minor, discount_total_minor, tax_total_minor, total_minor, tax_breakdown)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::jsonb[])`,
    transpose(drafts.map((draft) => headerValues(organizationId, draft.header))),
  );
  await insertLines(tx, organizationId, drafts.flatMap((draft) => draft.lines.map((line) => ({ ...line, invoiceId: draft.header.id }))));
}

export async function replaceDraft(tx: Tx, organizationId: string, header: InvoiceHeader, lines: NewLine[]): Promise<void> {
  await tx.query(
    `update invoices set customer_id = $3, currency = $4, price_mode = $5, discount_percent = $6, purchase_order = $7,
       reference = $8, notes = $9, terms = $10, subtotal_minor = $11, discount_total_minor = $12, tax_total_minor = $13,
       total_minor = $14, tax_breakdown = $15, updated_at = now()
     where id = $1 and organization_id = $2 and state = 'draft'`,
    headerValues(organizationId, header),
  );
  await tx.query(`delete from invoice_lines where invoice_id = $1`, [header.id]);
  await insertLines(tx, organizationId, lines.map((line) => ({ ...line, invoiceId: header.id })));
}

export async function deleteDraftRows(tx: Tx, invoiceId: string): Promise<void> {
  await tx.query(`delete from invoice_lines where invoice_id = $1`, [invoiceId]);
  await tx.query(`delete from invoices where id = $1 and state = 'draft'`, [invoiceId]);
}

async function insertLines(tx: Tx, organizationId: string, lines: Array<NewLine & { invoiceId: string }>): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `insert into invoice_lines (id, organization_id, invoice_id, position, item_id, description, quantity, unit, unit_price,
       discount_percent, taxes, service_start, service_end, amount_minor, discount_minor, net_minor)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::text[],
       $9::numeric[], $10::numeric[], $11::jsonb[], $12::date[], $13::date[], $14::bigint[], $15::bigint[], $16::bigint[])`,
    transpose(lines.map((line) => [
      line.id, organizationId, line.invoiceId, line.position, line.itemId, line.description, line.quantity, line.unit,
      line.unitPrice, line.discountPercent, JSON.stringify(line.taxes), line.serviceStart, line.serviceEnd,
      line.amountMinor.toString(), line.discountMinor.toString(), line.netMinor.toString(),
    ])),
  );
}

export async function markIssued(
  tx: Tx,
  invoiceId: string,
  fields: { number: string; issueDate: string; dueDate: string; issuedAt: string; customerSnapshot: unknown },
): Promise<void> {
  await tx.query(
    `update invoices set state = 'issued', number = $2, issue_date = $3, due_date = $4, customer_snapshot = $5,
       issued_at = $6, updated_at = $6
     where id = $1 and state = 'draft'`,
    [invoiceId, fields.number, fields.issueDate, fields.dueDate, JSON.stringify(fields.customerSnapshot), fields.issuedAt],
  );
}

export async function markVoid(tx: Tx, invoiceId: string, reason: string | null): Promise<void> {
  await tx.query(`update invoices set state = 'void', void_reason = $2, voided_at = now(), updated_at = now() where id = $1`, [invoiceId, reason]);
}
