import type { Queryable, Tx } from '../../shared/db.ts';
import { named, transpose } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import type { PreparedDocument, PreparedLine, TaxBreakdownLine } from '../invoicing/index.ts';
import { deriveQuoteStatus, type Quote, type QuoteLine, type QuoteStatus } from './quote.ts';

/** The derived status in SQL, for filtering lists; `deriveQuoteStatus` is the same rule in code. */
const STATUS_SQL = `case
  when q.converted_invoice_id is not null or q.converted_project_id is not null then 'converted'
  when q.state = 'sent' and q.valid_until < $today then 'expired'
  else q.state end`;

const QUOTE_SELECT = `select q.*, trim_scale(q.discount_percent)::text as discount_percent_text from quotes q`;

function quoteFromRow(row: Record<string, any>, lines: QuoteLine[], today: string): Quote {
  const quote = {
    id: row.id, customerId: row.customer_id, state: row.state, number: row.number, title: row.title, currency: row.currency,
    priceMode: row.price_mode, discountPercent: row.discount_percent_text, validUntil: row.valid_until, notes: row.notes, terms: row.terms,
    lines, subtotalMinor: BigInt(row.subtotal_minor), discountTotalMinor: BigInt(row.discount_total_minor),
    taxTotalMinor: BigInt(row.tax_total_minor), totalMinor: BigInt(row.total_minor),
    taxBreakdown: row.tax_breakdown.map((entry: Record<string, any>) => ({ ...entry, taxableMinor: BigInt(entry.taxableMinor), taxMinor: BigInt(entry.taxMinor) })),
    sentAt: row.sent_at?.toISOString() ?? null, acceptedByName: row.accepted_by_name, acceptedAt: row.accepted_at?.toISOString() ?? null,
    declinedReason: row.declined_reason, declinedAt: row.declined_at?.toISOString() ?? null, convertedInvoiceId: row.converted_invoice_id, convertedProjectId: row.converted_project_id,
    createdAt: row.created_at.toISOString(),
  };
  return { ...quote, status: deriveQuoteStatus(quote, today) };
}

function lineFromRow(row: Record<string, any>): QuoteLine {
  return {
    id: row.id, position: row.position, itemId: row.item_id, description: row.description, quantity: row.quantity_text,
    unit: row.unit, unitPrice: row.unit_price_text, discountPercent: row.discount_percent_text, taxes: row.taxes,
    serviceStart: row.service_start, serviceEnd: row.service_end,
    amountMinor: BigInt(row.amount_minor), discountMinor: BigInt(row.discount_minor), netMinor: BigInt(row.net_minor),
  };
}

export async function findQuote(db: Queryable, organizationId: string, id: string, today: string, opts: { lock?: boolean } = {}): Promise<Quote> {
  const { rows } = await db.query(`${QUOTE_SELECT} where q.organization_id = $1 and q.id = $2 ${opts.lock ? 'for update' : ''}`, [organizationId, id]);
  if (!rows[0]) throw notFound('quote', id);
  const lines = await db.query(
    `select *, trim_scale(quantity)::text as quantity_text, trim_scale(unit_price)::text as unit_price_text,
            trim_scale(discount_percent)::text as discount_percent_text
     from quote_lines where quote_id = $1 order by position`,
    [id],
  );
  return quoteFromRow(rows[0], lines.rows.map(lineFromRow), today);
}

/** The quote a link's token opens, of whichever organization; null when no quote has it. */
export async function findQuoteByTokenHash(db: Queryable, tokenHash: Buffer): Promise<{ organizationId: string; id: string } | null> {
  const { rows } = await db.query(`select organization_id, id from quotes where accept_token_hash = $1`, [tokenHash]);
  return rows[0] ? { organizationId: rows[0].organization_id, id: rows[0].id } : null;
}

export type QuoteFilter = { status?: QuoteStatus; customerId?: string; cursor?: string; limit: number };

/** Newest first (ids are time-sortable); lines are left out of lists, totals are not. */
export async function listQuoteRows(db: Queryable, organizationId: string, filter: QuoteFilter, today: string): Promise<Page<Quote>> {
  const after = decodeCursor(filter.cursor, 1)?.[0] ?? null;
  const { text, values } = named(
    `${QUOTE_SELECT}
     where q.organization_id = $org
       and ($status::text is null or ${STATUS_SQL} = $status)
       and ($customer::text is null or q.customer_id = $customer)
       and ($after::text is null or q.id < $after)
     order by q.id desc limit $limit`,
    { org: organizationId, today, status: filter.status ?? null, customer: filter.customerId ?? null, after, limit: filter.limit + 1 },
  );
  const { rows } = await db.query(text, values);
  return pageOf(rows.map((row) => quoteFromRow(row, [], today)), filter.limit, (quote) => [quote.id]);
}

export type QuoteDraft = Omit<PreparedDocument, 'lines'> & {
  id: string;
  title: string | null;
  validUntil: string | null;
  notes: string | null;
  terms: string | null;
};

function draftValues(organizationId: string, draft: QuoteDraft): unknown[] {
  return [
    draft.id, organizationId, draft.customerId, draft.title, draft.currency, draft.priceMode, draft.discountPercent, draft.validUntil,
    draft.notes, draft.terms, draft.subtotalMinor.toString(), draft.discountTotalMinor.toString(), draft.taxTotalMinor.toString(),
    draft.totalMinor.toString(), breakdownToJson(draft.taxBreakdown),
  ];
}

function breakdownToJson(list: TaxBreakdownLine[]): string {
  return JSON.stringify(list.map((entry) => ({ ...entry, taxableMinor: entry.taxableMinor.toString(), taxMinor: entry.taxMinor.toString() })));
}

export async function insertQuote(tx: Tx, organizationId: string, draft: QuoteDraft, lines: PreparedLine[]): Promise<void> {
  await tx.query(
    `insert into quotes (id, organization_id, customer_id, title, currency, price_mode, discount_percent, valid_until, notes, terms,
       subtotal_minor, discount_total_minor, tax_total_minor, total_minor, tax_breakdown)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    draftValues(organizationId, draft),
  );
  await insertLines(tx, organizationId, draft.id, lines);
}

export async function replaceQuote(tx: Tx, organizationId: string, draft: QuoteDraft, lines: PreparedLine[]): Promise<void> {
  await tx.query(
    `update quotes set customer_id = $3, title = $4, currency = $5, price_mode = $6, discount_percent = $7, valid_until = $8,
       notes = $9, terms = $10, subtotal_minor = $11, discount_total_minor = $12, tax_total_minor = $13, total_minor = $14,
       tax_breakdown = $15, updated_at = now()
     where id = $1 and organization_id = $2 and state = 'draft'`,
    draftValues(organizationId, draft),
  );
  await tx.query(`delete from quote_lines where quote_id = $1`, [draft.id]);
  await insertLines(tx, organizationId, draft.id, lines);
}

async function insertLines(tx: Tx, organizationId: string, quoteId: string, lines: PreparedLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `insert into quote_lines (id, organization_id, quote_id, position, item_id, description, quantity, unit, unit_price,
       discount_percent, taxes, service_start, service_end, amount_minor, discount_minor, net_minor)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::text[],
       $9::numeric[], $10::numeric[], $11::jsonb[], $12::date[], $13::date[], $14::bigint[], $15::bigint[], $16::bigint[])`,
    transpose(lines.map((line) => [
      newId('lin'), organizationId, quoteId, line.position, line.itemId, line.description, line.quantity, line.unit,
      line.unitPrice, line.discountPercent, JSON.stringify(line.taxes), line.serviceStart, line.serviceEnd,
      line.amountMinor.toString(), line.discountMinor.toString(), line.netMinor.toString(),
    ])),
  );
}

export async function markSent(tx: Tx, id: string, fields: { number: string; tokenHash: Buffer; sentAt: Date }): Promise<void> {
  await tx.query(
    `update quotes set state = 'sent', number = $2, accept_token_hash = $3, sent_at = $4, updated_at = $4 where id = $1 and state = 'draft'`,
    [id, fields.number, fields.tokenHash, fields.sentAt],
  );
}

export async function markAccepted(tx: Tx, id: string, name: string, at: Date): Promise<void> {
  await tx.query(
    `update quotes set state = 'accepted', accepted_by_name = $2, accepted_at = $3, updated_at = $3 where id = $1 and state = 'sent'`,
    [id, name, at],
  );
}

export async function markDeclined(tx: Tx, id: string, reason: string | null, at: Date): Promise<void> {
  await tx.query(
    `update quotes set state = 'declined', declined_reason = $2, declined_at = $3, updated_at = $3 where id = $1 and state = 'sent'`,
    [id, reason, at],
  );
}

export async function markConverted(tx: Tx, id: string, into: { invoiceId: string } | { projectId: string }): Promise<void> {
  const column = 'invoiceId' in into ? 'converted_invoice_id' : 'converted_project_id';
  await tx.query(
    `update quotes set ${column} = $2, updated_at = now()
     where id = $1 and state = 'accepted' and converted_invoice_id is null and converted_project_id is null`,
    [id, 'invoiceId' in into ? into.invoiceId : into.projectId],
  );
}
