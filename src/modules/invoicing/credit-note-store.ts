import type { Queryable, Tx } from '../../shared/db.ts';
import { transpose } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { breakdownToJson } from './invoice-store.ts';
import type { DocumentLine, PriceMode, TaxBreakdownLine } from './invoice.ts';

export type CreditNoteLine = DocumentLine & { invoiceLineId: string | null };

export type CreditNote = {
  id: string;
  number: string;
  invoiceId: string;
  customerId: string;
  currency: string;
  issueDate: string;
  reason: string | null;
  priceMode: PriceMode;
  discountPercent: string;
  lines: CreditNoteLine[];
  subtotalMinor: bigint;
  discountTotalMinor: bigint;
  taxTotalMinor: bigint;
  totalMinor: bigint;
  taxBreakdown: TaxBreakdownLine[];
  appliedMinor: bigint;
  creditedMinor: bigint;
  createdAt: string;
};

export async function insertCreditNote(tx: Tx, organizationId: string, note: Omit<CreditNote, 'createdAt'>): Promise<void> {
  await tx.query(
    `insert into credit_notes (id, organization_id, invoice_id, customer_id, number, currency, issue_date, reason, price_mode,
       discount_percent, subtotal_minor, discount_total_minor, tax_total_minor, total_minor, tax_breakdown, applied_minor, credited_minor)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      note.id, organizationId, note.invoiceId, note.customerId, note.number, note.currency, note.issueDate, note.reason,
      note.priceMode, note.discountPercent, note.subtotalMinor.toString(), note.discountTotalMinor.toString(),
      note.taxTotalMinor.toString(), note.totalMinor.toString(), breakdownToJson(note.taxBreakdown),
      note.appliedMinor.toString(), note.creditedMinor.toString(),
    ],
  );
  await tx.query(
    `insert into credit_note_lines (id, organization_id, credit_note_id, position, invoice_line_id, description, quantity, unit,
       unit_price, discount_percent, taxes, amount_minor, discount_minor, net_minor)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::text[],
       $9::numeric[], $10::numeric[], $11::jsonb[], $12::bigint[], $13::bigint[], $14::bigint[])`,
    transpose(note.lines.map((line) => [
      line.id, organizationId, note.id, line.position, line.invoiceLineId, line.description, line.quantity, line.unit,
      line.unitPrice, line.discountPercent, JSON.stringify(line.taxes), line.amountMinor.toString(),
      line.discountMinor.toString(), line.netMinor.toString(),
    ])),
  );
}

const NOTE_SELECT = `
  select n.*, trim_scale(n.discount_percent)::text as discount_percent_text,
    (select json_agg(json_build_object('id', l.id, 'position', l.position, 'invoiceLineId', l.invoice_line_id,
       'description', l.description, 'quantity', trim_scale(l.quantity)::text, 'unit', l.unit,
       'unitPrice', trim_scale(l.unit_price)::text, 'discountPercent', trim_scale(l.discount_percent)::text, 'taxes', l.taxes,
       'amountMinor', l.amount_minor::text, 'discountMinor', l.discount_minor::text, 'netMinor', l.net_minor::text) order by l.position)
     from credit_note_lines l where l.credit_note_id = n.id) as lines
  from credit_notes n`;

function fromRow(row: Record<string, any>): CreditNote {
  return {
    id: row.id, number: row.number, invoiceId: row.invoice_id, customerId: row.customer_id, currency: row.currency,
    issueDate: row.issue_date, reason: row.reason, priceMode: row.price_mode, discountPercent: row.discount_percent_text,
    lines: row.lines.map((line: Record<string, any>) => ({
      ...line, amountMinor: BigInt(line.amountMinor), discountMinor: BigInt(line.discountMinor), netMinor: BigInt(line.netMinor),
    })),
    subtotalMinor: BigInt(row.subtotal_minor), discountTotalMinor: BigInt(row.discount_total_minor),
    taxTotalMinor: BigInt(row.tax_total_minor), totalMinor: BigInt(row.total_minor),
    taxBreakdown: row.tax_breakdown.map((entry: Record<string, any>) => ({ ...entry, taxableMinor: BigInt(entry.taxableMinor), taxMinor: BigInt(entry.taxMinor) })),
    appliedMinor: BigInt(row.applied_minor), creditedMinor: BigInt(row.credited_minor), createdAt: row.created_at.toISOString(),
  };
}

export async function findCreditNote(db: Queryable, organizationId: string, id: string): Promise<CreditNote> {
  const { rows } = await db.query(`${NOTE_SELECT} where n.organization_id = $1 and n.id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('credit_note', id);
  return fromRow(rows[0]);
}

export async function listCreditNoteRows(db: Queryable, organizationId: string, filter: { invoiceId?: string; customerId?: string }): Promise<CreditNote[]> {
  const { rows } = await db.query(
    `${NOTE_SELECT} where n.organization_id = $1 and ($2::text is null or n.invoice_id = $2) and ($3::text is null or n.customer_id = $3)
     order by n.id desc limit 500`,
    [organizationId, filter.invoiceId ?? null, filter.customerId ?? null],
  );
  return rows.map(fromRow);
}

/** Credit already given per invoice line and in total, so no invoice is credited beyond what it billed. */
export async function creditedSoFar(db: Queryable, invoiceId: string): Promise<{ totalMinor: bigint; quantityByLine: Map<string, string> }> {
  // One after the other: a transaction's connection runs one query at a time.
  const totals = await db.query(`select coalesce(sum(total_minor), 0)::text as total from credit_notes where invoice_id = $1`, [invoiceId]);
  const lines = await db.query(
    `select l.invoice_line_id, trim_scale(sum(l.quantity))::text as quantity from credit_note_lines l
     join credit_notes n on n.id = l.credit_note_id where n.invoice_id = $1 and l.invoice_line_id is not null group by 1`,
    [invoiceId],
  );
  return {
    totalMinor: BigInt(totals.rows[0].total),
    quantityByLine: new Map(lines.rows.map((row) => [row.invoice_line_id, row.quantity])),
  };
}
