import { parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { parseDecimal, toDecimalString } from '../../shared/decimal.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { getOrganization } from '../access/index.ts';
import { catalogEntries } from '../catalog/index.ts';
import { findCustomer } from '../customers/index.ts';
import { computeDocumentTotals } from './document-totals.ts';
import type { Invoice, PriceMode, TaxSnapshot } from './invoice.ts';
import { deleteDraftRows, findInvoice, insertDraft, replaceDraft, type NewLine } from './invoice-store.ts';
import { todayFor } from './today.ts';

export type InvoiceLineInput = {
  itemId?: string;
  description?: string;
  quantity: string;
  unit?: string;
  unitPrice?: string;
  discountPercent?: string;
  taxRateIds?: string[];
  serviceStart?: string;
  serviceEnd?: string;
};

export type DraftInput = {
  customerId: string;
  currency?: string;
  priceMode?: PriceMode;
  lines: InvoiceLineInput[];
  discountPercent?: string;
  purchaseOrder?: string | null;
  reference?: string | null;
  notes?: string | null;
  terms?: string | null;
};

export const MAX_LINES = 2000;

export async function createDraftInvoice(pool: Pool, clock: Clock, organizationId: string, input: DraftInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const id = newId('inv');
    const { header, lines } = await prepareDraft(tx, organizationId, id, input);
    await insertDraft(tx, organizationId, header, lines);
    return findInvoice(tx, organizationId, id, await todayFor(tx, organizationId, clock));
  });
}

/**
 * What `createDraftInvoice` would make of `input`, computed the same way and saved nowhere: the
 * draft as it would read back, with id "preview" (and lines "preview_line_<n>").
 */
export async function previewInvoice(pool: Pool, clock: Clock, organizationId: string, input: DraftInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    await tx.query('set transaction read only');
    const { header, lines } = await prepareDraft(tx, organizationId, 'preview', input);
    return {
      ...header, state: 'draft', status: 'draft', number: null, issueDate: null, dueDate: null,
      lines: lines.map((line) => ({ ...line, id: `preview_line_${line.position}` })),
      amountPaidMinor: 0n, amountCreditedMinor: 0n, amountDueMinor: header.totalMinor,
      customerSnapshot: null, voidReason: null, createdAt: clock.now().toISOString(), issuedAt: null, voidedAt: null,
    };
  });
}

/** Replaces a draft's content; only drafts can change, and they change whole. */
export async function updateDraftInvoice(pool: Pool, clock: Clock, organizationId: string, id: string, input: DraftInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const current = await findInvoice(tx, organizationId, id, today, { lock: true });
    if (current.state !== 'draft') throw conflict('invoice_not_draft', `Invoice ${current.number} is issued; void it or issue a credit note instead.`);
    const { header, lines } = await prepareDraft(tx, organizationId, id, input);
    await replaceDraft(tx, organizationId, header, lines);
    return findInvoice(tx, organizationId, id, today);
  });
}

export async function deleteDraftInvoice(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    const current = await findInvoice(tx, organizationId, id, await todayFor(tx, organizationId, clock), { lock: true });
    if (current.state !== 'draft') throw conflict('invoice_not_draft', `Invoice ${current.number} is issued and cannot be deleted; void it instead.`);
    await deleteDraftRows(tx, id);
  });
}

async function prepareDraft(tx: Tx, organizationId: string, id: string, input: DraftInput) {
  const customer = await findCustomer(tx, organizationId, input.customerId).catch(() => {
    throw invalid('customerId', `no customer with id ${input.customerId}`, 'customer_not_found');
  });
  if (customer.archivedAt) throw invalid('customerId', 'this customer is archived', 'customer_archived');
  const currency = input.currency ?? customer.currency;
  if (currency !== customer.currency) {
    throw invalid('currency', `must be the customer's currency (${customer.currency})`, 'currency_mismatch');
  }
  if (input.lines.length > MAX_LINES) throw invalid('lines', `must have at most ${MAX_LINES} lines`);
  const discountPercent = percentage(input.discountPercent, 'discountPercent');
  const organization = await getOrganization(tx, organizationId);
  const catalog = await catalogEntries(tx, organizationId, {
    items: input.lines.flatMap((line) => (line.itemId ? [line.itemId] : [])),
    taxRates: input.lines.flatMap((line) => line.taxRateIds ?? []),
  });
  const lines = input.lines.map((line, index) => prepareLine(catalog, line, `lines.${index}`));
  const priceMode = input.priceMode ?? 'exclusive';
  const totals = computeDocumentTotals({ currency, priceMode, discountPercent, rounding: organization.roundingMode }, lines);
  const header = {
    id, customerId: customer.id, currency, priceMode, discountPercent,
    purchaseOrder: input.purchaseOrder ?? null, reference: input.reference ?? null, notes: input.notes ?? null, terms: input.terms ?? null,
    subtotalMinor: totals.subtotalMinor, discountTotalMinor: totals.discountTotalMinor, taxTotalMinor: totals.taxTotalMinor,
    totalMinor: totals.totalMinor, taxBreakdown: totals.taxBreakdown,
  };
  const newLines: NewLine[] = lines.map((line, index) => ({ ...line, id: newId('lin'), position: index + 1, ...totals.lines[index]! }));
  return { header, lines: newLines };
}

function percentage(text: string | undefined, field: string): string {
  if (text === undefined) return '0';
  const value = parseDecimal(text, field, { maxScale: 4, maxIntegerDigits: 3, allowNegative: false });
  if (value.units > 100n * 10n ** BigInt(value.scale)) throw invalid(field, 'must be between 0 and 100');
  return toDecimalString(value);
}

type Catalog = Awaited<ReturnType<typeof catalogEntries>>;

function prepareLine(catalog: Catalog, line: InvoiceLineInput, field: string) {
  const item = line.itemId ? catalog.items.get(line.itemId) : null;
  if (item === undefined) throw invalid(`${field}.itemId`, `no item with id ${line.itemId}`, 'item_not_found');
  const description = (line.description ?? item?.name ?? '').trim();
  if (!description) throw invalid(`${field}.description`, 'is required for a line without an item');
  const unitPriceText = line.unitPrice ?? item?.unitPrice;
  if (unitPriceText === undefined) throw invalid(`${field}.unitPrice`, 'is required for a line without an item');
  const quantity = parseDecimal(line.quantity, `${field}.quantity`, { maxScale: 6, maxIntegerDigits: 12 });
  const unitPrice = parseDecimal(unitPriceText, `${field}.unitPrice`, { maxScale: 6, maxIntegerDigits: 13 });
  const taxRateIds = line.taxRateIds ?? item?.taxRateIds ?? [];
  if (new Set(taxRateIds).size !== taxRateIds.length) throw invalid(`${field}.taxRateIds`, 'lists a tax rate twice');
  const rates = taxRateIds.map((id, index) => {
    const rate = catalog.taxRates.get(id);
    if (!rate) throw invalid(`${field}.taxRateIds.${index}`, `no tax rate with id ${id}`, 'tax_rate_not_found');
    return rate;
  });
  const serviceStart = line.serviceStart === undefined ? null : parseIsoDate(line.serviceStart, `${field}.serviceStart`);
  const serviceEnd = line.serviceEnd === undefined ? null : parseIsoDate(line.serviceEnd, `${field}.serviceEnd`);
  if (serviceStart && serviceEnd && serviceEnd < serviceStart) throw invalid(`${field}.serviceEnd`, 'must not be before serviceStart');
  const taxes: TaxSnapshot[] = rates.map((rate) => ({
    id: rate.id, name: rate.name, percentage: rate.percentage, category: rate.category,
    exemptionReason: rate.exemptionReason, compound: rate.compound,
  }));
  return {
    itemId: item?.id ?? null, description, quantity: toDecimalString(quantity), unit: line.unit ?? item?.unit ?? null,
    unitPrice: toDecimalString(unitPrice), discountPercent: percentage(line.discountPercent, `${field}.discountPercent`),
    taxes, serviceStart, serviceEnd,
  };
}
