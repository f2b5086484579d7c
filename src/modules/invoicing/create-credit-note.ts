import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { add, compare, decimal, isZero, negate, parseDecimal, sign, subtract, toDecimalString, type Decimal } from '../../shared/decimal.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { allocate, formatAmount, parseAmount } from '../../shared/money.ts';
import { getOrganization } from '../access/index.ts';
import { moveStock } from '../catalog/index.ts';
import { postJournalEntry } from '../ledger/index.ts';
import { creditedSoFar, findCreditNote, insertCreditNote, type CreditNote } from './credit-note-store.ts';
import { computeDocumentTotals, type PricedLine } from './document-totals.ts';
import { stockChanges, type Invoice, type PriceMode } from './invoice.ts';
import { findInvoice } from './invoice-store.ts';
import { takeNextNumber } from './number-series-store.ts';
import { creditNotePosting } from './postings.ts';
import { insertSettlements } from './settlements.ts';
import { todayFor } from './today.ts';

export type CreditNoteLineInput = { invoiceLineId?: string; description?: string; quantity?: string; unitPrice?: string; taxRateIds?: string[] };
export type CreditNoteInput = { invoiceId: string; lines?: CreditNoteLineInput[]; amount?: string; reason?: string | null };

type DraftLine = PricedLine & { invoiceLineId: string | null; description: string; unit: string | null };

/**
 * A credit note reverses part or all of an issued invoice. What it credits first reduces what
 * the invoice still owes (never below zero); the rest becomes credit the customer can use later.
 */
export async function createCreditNote(pool: Pool, clock: Clock, organizationId: string, input: CreditNoteInput): Promise<CreditNote> {
  return inTransaction(pool, (tx) => createCreditNoteIn(tx, clock, organizationId, input));
}

/** createCreditNote inside the caller's transaction (a billing run crediting a net credit, say). */
export async function createCreditNoteIn(tx: Tx, clock: Clock, organizationId: string, input: CreditNoteInput): Promise<CreditNote> {
  if ((input.lines === undefined) === (input.amount === undefined)) throw invalid('lines', 'give either lines or an amount, not both');
  const organization = await getOrganization(tx, organizationId);
  const today = await todayFor(tx, organizationId, clock);
  const invoice = await findInvoice(tx, organizationId, input.invoiceId, today, { lock: true }).catch(() => {
    throw invalid('invoiceId', `no invoice with id ${input.invoiceId}`, 'invoice_not_found');
  });
  if (invoice.state !== 'issued') throw conflict('invoice_not_issued', `Only issued invoices can be credited; this one is ${invoice.state}.`, 'invoiceId');
  const already = await creditedSoFar(tx, invoice.id);
  const { lines, priceMode, discountPercent } = input.amount !== undefined
    ? { lines: linesForAmount(invoice, input.amount), priceMode: 'inclusive' as PriceMode, discountPercent: '0' }
    : { lines: linesFromInput(invoice, input.lines ?? [], already.quantityByLine), priceMode: invoice.priceMode, discountPercent: invoice.discountPercent };
  const totals = computeDocumentTotals({ currency: invoice.currency, priceMode, discountPercent, rounding: organization.roundingMode }, lines);
  const field = input.amount !== undefined ? 'amount' : 'lines';
  if (totals.totalMinor <= 0n) throw invalid(field, 'the credit note total must be more than zero');
  const creditable = invoice.totalMinor - already.totalMinor;
  if (totals.totalMinor > creditable) {
    throw invalid(field, `would credit ${formatAmount(totals.totalMinor, invoice.currency)} but only ${formatAmount(creditable, invoice.currency)} of the invoice is not yet credited`, 'credit_exceeds_invoice');
  }
  const appliedMinor = totals.totalMinor < invoice.amountDueMinor ? totals.totalMinor : invoice.amountDueMinor;
  const note = {
    id: newId('crn'), number: await takeNextNumber(tx, organizationId, 'credit_note', today), invoiceId: invoice.id,
    customerId: invoice.customerId, currency: invoice.currency, issueDate: today, reason: input.reason ?? null, priceMode, discountPercent,
    lines: lines.map((line, index) => ({ ...line, id: newId('lin'), position: index + 1, ...totals.lines[index]! })),
    subtotalMinor: totals.subtotalMinor, discountTotalMinor: totals.discountTotalMinor, taxTotalMinor: totals.taxTotalMinor,
    totalMinor: totals.totalMinor, taxBreakdown: totals.taxBreakdown, appliedMinor, creditedMinor: totals.totalMinor - appliedMinor,
  };
  await insertCreditNote(tx, organizationId, note);
  const creditedGoods = note.lines.map((line) => ({
    itemId: invoice.lines.find((invoiceLine) => invoiceLine.id === line.invoiceLineId)?.itemId ?? null,
    quantity: line.quantity,
    position: line.position,
  }));
  await moveStock(tx, organizationId, stockChanges(creditedGoods, 1n), { reason: 'credit_note', sourceId: note.id });
  if (appliedMinor > 0n) {
    await insertSettlements(tx, organizationId, [{ invoiceId: invoice.id, kind: 'credit_note', creditNoteId: note.id, amountMinor: appliedMinor, settledOn: today }]);
  }
  await postJournalEntry(tx, creditNotePosting(organizationId, note));
  return findCreditNote(tx, organizationId, note.id);
}

/** Lines that credit invoice lines (by id, up to what is left of each) or free lines at the invoice's tax rates. */
function linesFromInput(invoice: Invoice, inputs: CreditNoteLineInput[], creditedQuantity: Map<string, string>): DraftLine[] {
  if (inputs.length === 0) throw invalid('lines', 'must have at least one line');
  const taxesOnInvoice = new Map(invoice.lines.flatMap((line) => line.taxes.map((tax) => [tax.id, tax] as const)));
  const usedQuantity = new Map(creditedQuantity);
  return inputs.map((input, index) => {
    const field = `lines.${index}`;
    if (input.invoiceLineId !== undefined) {
      const line = invoice.lines.find((candidate) => candidate.id === input.invoiceLineId);
      if (!line) throw invalid(`${field}.invoiceLineId`, 'is not a line of this invoice');
      const used = decimal(usedQuantity.get(line.id) ?? '0');
      const remaining = subtract(decimal(line.quantity), used);
      const quantity = input.quantity === undefined ? remaining : parseDecimal(input.quantity, `${field}.quantity`, { maxScale: 6, maxIntegerDigits: 12 });
      if (isZero(remaining)) throw invalid(`${field}.invoiceLineId`, 'this line is fully credited already', 'credit_exceeds_invoice');
      if (isZero(quantity)) throw invalid(`${field}.quantity`, 'must not be zero');
      // A credit goes the same way as the line it credits, and never beyond what is left of it.
      if (sign(quantity) !== sign(decimal(line.quantity)) || compare(magnitude(quantity), magnitude(remaining)) > 0) {
        throw invalid(`${field}.quantity`, `only ${toDecimalString(remaining)} of this line is left to credit`, 'credit_exceeds_invoice');
      }
      usedQuantity.set(line.id, toDecimalString(add(used, quantity)));
      return {
        invoiceLineId: line.id, description: line.description, unit: line.unit, quantity: toDecimalString(quantity),
        unitPrice: line.unitPrice, discountPercent: line.discountPercent, taxes: line.taxes,
      };
    }
    if (!input.description?.trim()) throw invalid(`${field}.description`, 'is required for a line that does not credit an invoice line');
    const quantity = parseDecimal(input.quantity ?? '1', `${field}.quantity`, { maxScale: 6, maxIntegerDigits: 12 });
    const unitPrice = parseDecimal(input.unitPrice, `${field}.unitPrice`, { maxScale: 6, maxIntegerDigits: 13 });
    const taxes = (input.taxRateIds ?? []).map((id, taxIndex) => {
      const tax = taxesOnInvoice.get(id);
      if (!tax) throw invalid(`${field}.taxRateIds.${taxIndex}`, 'is not a tax rate used on this invoice');
      return tax;
    });
    return {
      invoiceLineId: null, description: input.description.trim(), unit: null, quantity: toDecimalString(quantity),
      unitPrice: toDecimalString(unitPrice), discountPercent: '0', taxes,
    };
  });
}

function magnitude(value: Decimal): Decimal {
  return sign(value) < 0 ? negate(value) : value;
}

/** A gross amount, split across the invoice's tax combinations in proportion to what each billed. */
function linesForAmount(invoice: Invoice, amountText: string): DraftLine[] {
  const amountMinor = parseAmount(amountText, invoice.currency, 'amount');
  const groups = new Map<string, { taxes: Invoice['lines'][number]['taxes']; weight: bigint }>();
  for (const line of invoice.lines) {
    const key = line.taxes.map((tax) => tax.id).join(',');
    const group = groups.get(key) ?? { taxes: line.taxes, weight: 0n };
    group.weight += line.netMinor > 0n ? line.netMinor : 0n;
    groups.set(key, group);
  }
  const list = [...groups.values()];
  const shares = allocate(amountMinor, list.map((group) => group.weight));
  return list
    .map((group, index) => ({ group, share: shares[index]! }))
    .filter(({ share }) => share !== 0n)
    .map(({ group, share }) => ({
      invoiceLineId: null, description: `Credit for invoice ${invoice.number}`, unit: null, quantity: '1',
      unitPrice: formatAmount(share, invoice.currency), discountPercent: '0', taxes: group.taxes,
    }));
}
