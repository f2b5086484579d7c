import { parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Tx } from '../../shared/db.ts';
import { parseDecimal, toDecimalString } from '../../shared/decimal.ts';
import { invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { getOrganization } from '../access/index.ts';
import { catalogEntries } from '../catalog/index.ts';
import { findCustomer } from '../customers/index.ts';
import { computeDocumentTotals } from './document-totals.ts';
import type { Invoice, InvoiceLine, PriceMode, TaxBreakdownLine, TaxSnapshot } from './invoice.ts';
import { findInvoice, insertDraft } from './invoice-store.ts';
import { todayFor } from './today.ts';

// The part of a draft that invoices and quotes share: customer and currency checks, lines priced
// from the catalog with their tax rates snapshotted, and totals by the one EN 16931 rule.

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

export type DocumentInput = {
  customerId: string;
  currency?: string;
  priceMode?: PriceMode;
  lines: InvoiceLineInput[];
  discountPercent?: string;
};

/** A line with its amounts, ready to store; the caller gives it an id. */
export type PreparedLine = Omit<InvoiceLine, 'id'>;

export type PreparedDocument = {
  customerId: string;
  currency: string;
  priceMode: PriceMode;
  discountPercent: string;
  subtotalMinor: bigint;
  discountTotalMinor: bigint;
  taxTotalMinor: bigint;
  totalMinor: bigint;
  taxBreakdown: TaxBreakdownLine[];
  lines: PreparedLine[];
};

export const MAX_LINES = 2000;

export async function prepareDocument(tx: Tx, organizationId: string, input: DocumentInput): Promise<PreparedDocument> {
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
  const { lines: amounts, subtotalMinor, discountTotalMinor, taxTotalMinor, totalMinor, taxBreakdown } =
    computeDocumentTotals({ currency, priceMode, discountPercent, rounding: organization.roundingMode }, lines);
  return {
    customerId: customer.id, currency, priceMode, discountPercent, subtotalMinor, discountTotalMinor, taxTotalMinor, totalMinor, taxBreakdown,
    lines: lines.map((line, index) => ({ ...line, position: index + 1, ...amounts[index]! })),
  };
}

/**
 * Saves a prepared document as a draft invoice inside the caller's transaction, figures as they
 * are: a quote becomes an invoice with exactly the totals the customer accepted.
 */
export async function insertDraftInvoice(
  tx: Tx,
  clock: Clock,
  organizationId: string,
  document: PreparedDocument & { purchaseOrder?: string | null; reference?: string | null; notes?: string | null; terms?: string | null },
): Promise<Invoice> {
  const { lines, purchaseOrder = null, reference = null, notes = null, terms = null, ...header } = document;
  const id = newId('inv');
  await insertDraft(tx, organizationId, { ...header, id, purchaseOrder, reference, notes, terms }, lines.map((line) => ({ ...line, id: newId('lin') })));
  return findInvoice(tx, organizationId, id, await todayFor(tx, organizationId, clock));
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
