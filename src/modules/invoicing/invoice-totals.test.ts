import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../../shared/errors.ts';
import {
  ONE, add, compare, decimal, fromMinor, isZero, multiply, percentOf, roundToInteger, toDecimalString,
  type Decimal, type RoundingMode,
} from '../../shared/decimal.ts';
import { currencyMinorUnits } from '../../shared/currencies.ts';
import { formatAmount, roundToMinor } from '../../shared/money.ts';
import {
  computeInvoiceTotals, type InvoiceTotals, type TaxCategory, type TotalsInput, type TotalsLine, type TotalsTax,
} from './invoice-totals.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

function tax(id: string, percentage: string, category: TaxCategory = 'S', compound = false): TotalsTax {
  return { id, name: id, percentage: decimal(percentage), category, compound };
}

function line(quantity: string, unitPrice: string, taxes: TotalsTax[], discountPercent?: string): TotalsLine {
  return { quantity: decimal(quantity), unitPrice: decimal(unitPrice), taxes, ...(discountPercent ? { discountPercent: decimal(discountPercent) } : {}) };
}

/** Totals as plain numbers of minor units, for compact expectations. */
function summary(totals: InvoiceTotals) {
  return {
    subtotal: totals.subtotalMinor, discount: totals.discountTotalMinor, taxable: totals.taxableMinor,
    tax: totals.taxTotalMinor, total: totals.totalMinor, due: totals.amountDueMinor,
  };
}

function breakdown(totals: InvoiceTotals) {
  return totals.taxBreakdown.map((entry) => [entry.taxId, entry.taxableMinor, entry.taxMinor] as const);
}

function validationField(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    return `${error.fieldErrors[0]!.field}: ${error.fieldErrors[0]!.message}`;
  }
  assert.fail('was accepted');
}

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

const VAT19 = tax('de-vat-19', '19');
const VAT7 = tax('de-vat-7', '7');

// ---------------------------------------------------------------------------------------------
// Hand-computed examples

test('German invoice, 19 % and 7 %, with a line discount', () => {
  const totals = computeInvoiceTotals({
    currency: 'EUR', priceMode: 'exclusive',
    lines: [
      line('10', '120.00', [VAT19]), //  1200.00
      line('3', '15.99', [VAT7]), //       47.97
      line('2.5', '80.00', [VAT19]), //   200.00
      line('1', '250.00', [VAT19], '15'), // 250.00 − 37.50 = 212.50
    ],
  });
  // 19 %: base 1200 + 200 + 212.50 = 1612.50 → 306.375 → 306.38 (one rounding for the category)
  //  7 %: base 47.97 → 3.3579 → 3.36
  assert.deepEqual(totals.lines.map((l) => [l.amountMinor, l.discountMinor, l.netMinor]), [
    [120000n, 0n, 120000n], [4797n, 0n, 4797n], [20000n, 0n, 20000n], [21250n, 3750n, 21250n],
  ]);
  assert.deepEqual(breakdown(totals), [['de-vat-19', 161250n, 30638n], ['de-vat-7', 4797n, 336n]]);
  assert.deepEqual(summary(totals), { subtotal: 166047n, discount: 0n, taxable: 166047n, tax: 30974n, total: 197021n, due: 197021n });
  assert.equal(formatAmount(totals.totalMinor, 'EUR'), '1970.21');
});

test('tax is rounded once per tax, not per line', () => {
  // Three lines of 0.99 at 19 %: per line 0.1881 → 0.19, three times 0.57.
  // Once on the category: 2.97 × 0.19 = 0.5643 → 0.56.
  const totals = computeInvoiceTotals({ currency: 'EUR', priceMode: 'exclusive', lines: [1, 2, 3].map(() => line('1', '0.99', [VAT19])) });
  assert.deepEqual(breakdown(totals), [['de-vat-19', 297n, 56n]]);
  assert.equal(totals.totalMinor, 353n);
});

test('Canada: GST 5 % and QST 9.975 %, both on the net (non-compound)', () => {
  const GST = tax('ca-gst', '5');
  const QST = tax('ca-qst', '9.975');
  const totals = computeInvoiceTotals({
    currency: 'CAD', priceMode: 'exclusive',
    lines: [line('2', '49.99', [GST, QST]), line('1', '10.00', [GST])],
  });
  // GST: (99.98 + 10.00) × 5 % = 5.499 → 5.50
  // QST: 99.98 × 9.975 % = 9.973005 → 9.97
  // total: 109.98 + 5.50 + 9.97 = 125.45
  assert.deepEqual(breakdown(totals), [['ca-gst', 10998n, 550n], ['ca-qst', 9998n, 997n]]);
  assert.deepEqual(summary(totals), { subtotal: 10998n, discount: 0n, taxable: 10998n, tax: 1547n, total: 12545n, due: 12545n });
});

test('compound tax: PST 8.5 % charged on net plus the exact GST', () => {
  const GST = tax('ca-gst', '5');
  const PST = tax('pst-compound', '8.5', 'S', true);
  const totals = computeInvoiceTotals({ currency: 'CAD', priceMode: 'exclusive', lines: [line('1', '33.33', [GST, PST])] });
  // GST: 33.33 × 5 % = 1.6665 → 1.67
  // PST base: 33.33 + 1.6665 (exact, unrounded GST) = 34.9965 → shown as 35.00
  // PST: 34.9965 × 8.5 % = 2.9747025 → 2.97   (on the rounded 35.00 it would be 2.975 → 2.98)
  // total: 33.33 + 1.67 + 2.97 = 37.97
  assert.deepEqual(breakdown(totals), [['ca-gst', 3333n, 167n], ['pst-compound', 3500n, 297n]]);
  assert.deepEqual(summary(totals), { subtotal: 3333n, discount: 0n, taxable: 3333n, tax: 464n, total: 3797n, due: 3797n });
  assert.equal(totals.taxBreakdown[1]!.compound, true);
});

test('Japan: 10 % consumption tax in yen (no minor unit)', () => {
  const JCT = tax('jp-ct-10', '10');
  const totals = computeInvoiceTotals({
    currency: 'JPY', priceMode: 'exclusive',
    lines: [line('3', '1980', [JCT]), line('1.5', '4999', [JCT])],
  });
  // 5940 + 7498.5 → 7499 = 13439; tax 1343.9 → 1344; total 14783
  assert.deepEqual(totals.lines.map((l) => l.netMinor), [5940n, 7499n]);
  assert.deepEqual(breakdown(totals), [['jp-ct-10', 13439n, 1344n]]);
  assert.equal(formatAmount(totals.totalMinor, 'JPY'), '14783');
});

test('Kuwaiti dinar: three decimals, and the rounding mode is honoured', () => {
  const VAT5 = tax('vat-5', '5');
  const lines = [line('2', '12.345', [VAT5]), line('0.5', '1.001', [VAT5])];
  // half_up: 24.690 + 0.5005 → 0.501 = 25.191; tax 1.25955 → 1.260; total 26.451
  const halfUp = computeInvoiceTotals({ currency: 'KWD', priceMode: 'exclusive', lines });
  assert.deepEqual(breakdown(halfUp), [['vat-5', 25191n, 1260n]]);
  assert.equal(formatAmount(halfUp.totalMinor, 'KWD'), '26.451');
  // half_even: 0.5005 → 0.500 = 25.190; tax 1.2595 → 1.260; total 26.450
  const halfEven = computeInvoiceTotals({ currency: 'KWD', priceMode: 'exclusive', lines, rounding: 'half_even' });
  assert.deepEqual(breakdown(halfEven), [['vat-5', 25190n, 1260n]]);
  assert.equal(formatAmount(halfEven.totalMinor, 'KWD'), '26.450');
});

test('reverse charge (AE, 0 %) beside a standard-rated line', () => {
  const RC = tax('eu-reverse-charge', '0', 'AE');
  const totals = computeInvoiceTotals({
    currency: 'EUR', priceMode: 'exclusive',
    lines: [line('1', '5000.00', [RC]), line('2', '100.00', [VAT19])],
  });
  assert.deepEqual(breakdown(totals), [['eu-reverse-charge', 500000n, 0n], ['de-vat-19', 20000n, 3800n]]);
  assert.deepEqual(summary(totals), { subtotal: 520000n, discount: 0n, taxable: 520000n, tax: 3800n, total: 523800n, due: 523800n });
  assert.equal(totals.taxBreakdown[0]!.category, 'AE');
});

test('document discount of 10 % allocated across two rates', () => {
  const totals = computeInvoiceTotals({
    currency: 'EUR', priceMode: 'exclusive', discountPercent: decimal('10'),
    lines: [line('1', '33.33', [VAT19]), line('1', '66.67', [VAT7])],
  });
  // subtotal 100.00 → discount 10.00, split by group net 33.33 : 66.67 → 3.333 / 6.667
  // floors 3.33 / 6.66, the spare cent to the larger remainder → 3.33 / 6.67
  // 19 %: (33.33 − 3.33) = 30.00 → 5.70;  7 %: (66.67 − 6.67) = 60.00 → 4.20
  assert.deepEqual(breakdown(totals), [['de-vat-19', 3000n, 570n], ['de-vat-7', 6000n, 420n]]);
  assert.deepEqual(summary(totals), { subtotal: 10000n, discount: 1000n, taxable: 9000n, tax: 990n, total: 9990n, due: 9990n });
});

test('inclusive 19 %: the customer pays the sticker price and tax = total − net', () => {
  const totals = computeInvoiceTotals({
    currency: 'EUR', priceMode: 'inclusive', lines: [1, 2, 3].map(() => line('1', '9.99', [VAT19])),
  });
  // 3 × 9.99 = 29.97 inclusive; net = 29.97 / 1.19 = 25.1848… → 25.18; tax = 29.97 − 25.18 = 4.79.
  // Line nets: 25.18 split evenly → 8.40 / 8.39 / 8.39 (the spare cent to the first).
  // BR-CO-17 check: 25.18 × 19 % = 4.7842 → 4.78, one cent from 4.79, as EN 16931 tolerates.
  assert.deepEqual(totals.lines.map((l) => [l.amountMinor, l.netMinor]), [[999n, 840n], [999n, 839n], [999n, 839n]]);
  assert.deepEqual(breakdown(totals), [['de-vat-19', 2518n, 479n]]);
  assert.deepEqual(summary(totals), { subtotal: 2518n, discount: 0n, taxable: 2518n, tax: 479n, total: 2997n, due: 2997n });
});

test('inclusive with a document discount keeps the quoted total exactly', () => {
  const totals = computeInvoiceTotals({
    currency: 'EUR', priceMode: 'inclusive', discountPercent: decimal('10'), prepaidMinor: 5000n,
    lines: [line('1', '119.00', [VAT19]), line('1', '20.00', [])],
  });
  // Quoted 139.00, discount 13.90 → total 125.10. Split by group amount: 11.90 / 2.00.
  // VAT group: net 119 / 1.19 = 100.00, discount 11.90 / 1.19 = 10.00, taxable 90.00, tax 107.10 − 90.00 = 17.10.
  // Untaxed group: net 20.00, discount 2.00, taxable 18.00.
  assert.deepEqual(totals.lines.map((l) => l.netMinor), [10000n, 2000n]);
  assert.deepEqual(breakdown(totals), [['de-vat-19', 9000n, 1710n]]);
  assert.deepEqual(summary(totals), { subtotal: 12000n, discount: 1200n, taxable: 10800n, tax: 1710n, total: 12510n, due: 7510n });
});

test('inclusive with two taxes: the rounding difference goes to the larger tax', () => {
  const GST = tax('ca-gst', '5');
  const QST = tax('ca-qst', '9.975');
  const totals = computeInvoiceTotals({ currency: 'CAD', priceMode: 'inclusive', lines: [line('1', '10.00', [GST, QST])] });
  // 10.00 / 1.14975 = 8.6975… → 8.70; tax total 1.30.
  // Exact on 8.70: GST 0.435 → 0.44, QST 0.867825 → 0.87 (sum 1.31); QST, the larger, absorbs −0.01 → 0.86.
  assert.deepEqual(breakdown(totals), [['ca-gst', 870n, 44n], ['ca-qst', 870n, 86n]]);
  assert.equal(totals.totalMinor, 1000n);
});

test('zero lines, untaxed lines, prepaid and credit (negative) lines', () => {
  const empty = computeInvoiceTotals({ currency: 'EUR', priceMode: 'exclusive', lines: [] });
  assert.deepEqual(summary(empty), { subtotal: 0n, discount: 0n, taxable: 0n, tax: 0n, total: 0n, due: 0n });
  assert.deepEqual(empty.taxBreakdown, []);
  const credit = computeInvoiceTotals({
    currency: 'EUR', priceMode: 'exclusive', discountPercent: decimal('10'), prepaidMinor: 1000n,
    lines: [line('2', '50.00', [VAT19]), line('-1', '30.00', [VAT7]), line('1', '5.00', [])],
  });
  // nets 100.00 / −30.00 / 5.00 → subtotal 75.00, discount 7.50 split by each group's own 10 %:
  // 10.00 / −3.00 / 0.50. Taxables 90.00 / −27.00 / 4.50 → 19 %: 17.10, 7 %: −1.89.
  assert.deepEqual(breakdown(credit), [['de-vat-19', 9000n, 1710n], ['de-vat-7', -2700n, -189n]]);
  assert.deepEqual(summary(credit), { subtotal: 7500n, discount: 750n, taxable: 6750n, tax: 1521n, total: 8271n, due: 7271n });
});

test('bad rates and tax definitions are refused as validation errors', () => {
  const base: TotalsInput = { currency: 'EUR', priceMode: 'exclusive', lines: [] };
  const withLines = (...lines: TotalsLine[]) => () => computeInvoiceTotals({ ...base, lines });
  assert.equal(validationField(() => computeInvoiceTotals({ ...base, currency: 'EURO' })), 'currency: is not an ISO 4217 currency code');
  assert.equal(validationField(() => computeInvoiceTotals({ ...base, discountPercent: decimal('120') })), 'discountPercent: must be between 0 and 100');
  assert.equal(validationField(withLines(line('1', '1', [], '-5'))), 'lines[0].discountPercent: must be between 0 and 100');
  assert.equal(validationField(withLines(line('1', '1', [tax('x', '-1')]))), 'lines[0].taxes[0].percentage: must not be negative');
  assert.equal(validationField(withLines(line('1', '1', [tax('rc', '19', 'AE')]))), 'lines[0].taxes[0].percentage: must be 0 for tax category AE');
  assert.equal(validationField(withLines(line('1', '1', [VAT19, VAT19]))), 'lines[0].taxes[1]: lists tax de-vat-19 twice on one line');
  assert.equal(
    validationField(withLines(line('1', '1', [VAT19]), line('1', '1', [tax('de-vat-19', '16')]))),
    'lines[1].taxes[0]: tax de-vat-19 has a different rate, category or compounding than on an earlier line',
  );
});

// ---------------------------------------------------------------------------------------------
// Properties

const TAX_POOL: TotalsTax[] = [
  VAT19, VAT7, tax('ca-gst', '5'), tax('ca-qst', '9.975'), tax('pst', '8.5', 'S', true),
  tax('zero', '0', 'Z'), tax('reverse', '0', 'AE'), tax('exempt', '0', 'E'),
];
const MODES: RoundingMode[] = ['half_up', 'half_even', 'up', 'down', 'floor', 'ceiling'];

const decimalArb = (maxUnits: bigint, maxScale: number) =>
  fc.record({ units: fc.bigInt(0n, maxUnits), scale: fc.integer({ min: 0, max: maxScale }) });
const quantityArb = fc.oneof(
  fc.constantFrom('0.25', '0.3333', '1', '2', '0.5', '1.5', '10', '7.75').map(decimal),
  decimalArb(100_000n, 4),
);
const percentArb = fc.constantFrom('0', '2', '5', '10', '12.5', '33.3333', '100').map(decimal);
const lineArb = fc.record({
  quantity: fc.tuple(quantityArb, fc.nat(9)).map(([q, roll]) => (roll === 0 ? { units: -q.units, scale: q.scale } : q)), // ~10 % credit lines
  unitPrice: decimalArb(1_000_000_000n, 4), // up to 100 000.0000
  discountPercent: fc.option(percentArb, { nil: undefined }),
  taxes: fc.shuffledSubarray(TAX_POOL, { maxLength: 3 }),
});
const invoiceArb = fc.record({
  currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
  priceMode: fc.constantFrom<'exclusive' | 'inclusive'>('exclusive', 'inclusive'),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 50 }),
  discountPercent: fc.option(percentArb, { nil: undefined }),
  rounding: fc.constantFrom(...MODES),
  prepaidMinor: fc.bigInt(0n, 1_000_000n),
});

/** The invariants, re-derived from the outside, independent of how the code computes them. */
function checkInvariants(input: TotalsInput, totals: InvoiceTotals): void {
  const mode = input.rounding ?? 'half_up';
  const pct = input.discountPercent ?? decimal('0');
  input.lines.forEach((l, i) => {
    const gross = multiply(l.quantity, l.unitPrice);
    const discount = l.discountPercent ? roundToMinor(percentOf(gross, l.discountPercent), input.currency, mode) : 0n;
    assert.equal(totals.lines[i]!.discountMinor, discount, `line ${i} discount`);
    assert.equal(totals.lines[i]!.amountMinor, roundToMinor(gross, input.currency, mode) - discount, `line ${i} amount`);
    if (input.priceMode === 'exclusive') assert.equal(totals.lines[i]!.netMinor, totals.lines[i]!.amountMinor);
  });
  assert.equal(totals.subtotalMinor, sum(totals.lines.map((l) => l.netMinor)), 'subtotal = Σ line nets');
  assert.equal(totals.taxableMinor, totals.subtotalMinor - totals.discountTotalMinor, 'taxable = subtotal − discount');
  assert.equal(totals.totalMinor, totals.taxableMinor + totals.taxTotalMinor, 'total = taxable + tax');
  assert.equal(totals.taxTotalMinor, sum(totals.taxBreakdown.map((e) => e.taxMinor)), 'tax total = Σ breakdown');
  assert.equal(totals.amountDueMinor, totals.totalMinor - (input.prepaidMinor ?? 0n), 'due = total − prepaid');
  const firstAppearance = [...new Set(input.lines.flatMap((l) => l.taxes.map((t) => t.id)))];
  assert.deepEqual(totals.taxBreakdown.map((e) => e.taxId), firstAppearance, 'breakdown in order of first appearance');
  for (const entry of totals.taxBreakdown) {
    if (isZero(entry.percentage)) assert.equal(entry.taxMinor, 0n, `${entry.taxId}: zero rate, zero tax`);
  }
  if (input.priceMode === 'exclusive') {
    const discount = roundToInteger(percentOf(fromMinor(totals.subtotalMinor, 0), pct), mode);
    assert.equal(totals.discountTotalMinor, discount, 'document discount rounded once on the subtotal');
    for (const entry of totals.taxBreakdown.filter((e) => !e.compound)) {
      const expected = roundToInteger(percentOf(fromMinor(entry.taxableMinor, 0), entry.percentage), mode);
      assert.equal(entry.taxMinor, expected, `BR-CO-17 exact for ${entry.taxId}`);
    }
    for (const entry of totals.taxBreakdown.filter((e) => e.compound)) {
      const expected = roundToInteger(percentOf(fromMinor(entry.taxableMinor, 0), entry.percentage), mode);
      const drift = entry.taxMinor - expected;
      assert.ok(drift >= -1n && drift <= 1n, `BR-CO-17 within one minor unit for compound ${entry.taxId}`);
    }
  } else {
    const quoted = sum(totals.lines.map((l) => l.amountMinor));
    const discount = roundToInteger(percentOf(fromMinor(quoted, 0), pct), mode);
    assert.equal(totals.totalMinor, quoted - discount, 'inclusive total = quoted − discount, exactly');
  }
}

test('property: totals invariants hold on random invoices (both modes, EUR/JPY/KWD, compound, credits)', () => {
  fc.assert(
    fc.property(invoiceArb, (input) => {
      checkInvariants(input, computeInvoiceTotals(input));
    }),
    { numRuns: 300 },
  );
});

test('property: with one tax per line, breakdown taxables add up to the invoice taxable', () => {
  const vatOnly = TAX_POOL.filter((t) => !t.compound && compare(t.percentage, decimal('25')) <= 0);
  const singleTaxInvoice = invoiceArb.chain((input) =>
    fc.tuple(fc.array(fc.constantFrom(...vatOnly), { minLength: input.lines.length, maxLength: input.lines.length }), fc.constantFrom<RoundingMode>('half_up', 'half_even'))
      .map(([taxes, rounding]) => ({
        ...input, rounding,
        lines: input.lines.map((l, i) => ({ ...l, quantity: { units: l.quantity.units < 0n ? -l.quantity.units : l.quantity.units, scale: l.quantity.scale }, taxes: [taxes[i]!] })),
      })),
  );
  fc.assert(
    fc.property(singleTaxInvoice, (input) => {
      const totals = computeInvoiceTotals(input);
      checkInvariants(input, totals);
      assert.equal(sum(totals.taxBreakdown.map((e) => e.taxableMinor)), totals.taxableMinor, 'Σ breakdown taxable = taxable');
      for (const entry of totals.taxBreakdown) {
        // Inclusive mode carves tax out of a fixed price; EN 16931 BR-CO-17 still holds to one minor unit.
        const expected = roundToInteger(percentOf(fromMinor(entry.taxableMinor, 0), entry.percentage), input.rounding);
        const drift = entry.taxMinor - expected;
        assert.ok(drift >= -1n && drift <= 1n, `BR-CO-17 within one minor unit for ${entry.taxId} (${input.priceMode})`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: an invoice entered inclusive gives the same totals as its exact exclusive equivalent', () => {
  const pool = [VAT19, VAT7, tax('ca-gst', '5'), tax('pst', '8', 'S', true), tax('zero', '0', 'Z')];
  const exactLineArb = fc.record({
    quantity: fc.constantFrom('1', '2', '3', '0.5', '0.25').map(decimal),
    // Prices in whole multiples of 4·10^8 minor units, so every discount and tax below is exact.
    priceMultiple: fc.bigInt(1n, 50n),
    discountPercent: fc.option(fc.constantFrom('10', '25', '50').map(decimal), { nil: undefined }),
    taxes: fc.shuffledSubarray(pool, { maxLength: 2 }),
  });
  const arb = fc.record({
    currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
    lines: fc.array(exactLineArb, { minLength: 1, maxLength: 20 }),
    discountPercent: fc.option(fc.constantFrom('10', '20', '50').map(decimal), { nil: undefined }),
    rounding: fc.constantFrom(...MODES),
  });
  fc.assert(
    fc.property(arb, ({ currency, lines, discountPercent, rounding }) => {
      const minorUnits = currencyMinorUnits(currency);
      const common = { currency, rounding, ...(discountPercent ? { discountPercent } : {}) };
      const exclusiveLines = lines.map((l) => ({ ...l, unitPrice: fromMinor(l.priceMultiple * 400_000_000n, minorUnits) }));
      const inclusiveLines = exclusiveLines.map((l) => ({ ...l, unitPrice: multiply(l.unitPrice, multiplierOf(l.taxes)) }));
      const exclusive = computeInvoiceTotals({ ...common, priceMode: 'exclusive', lines: exclusiveLines });
      const inclusive = computeInvoiceTotals({ ...common, priceMode: 'inclusive', lines: inclusiveLines });
      assert.deepEqual(inclusive.lines.map((l) => l.netMinor), exclusive.lines.map((l) => l.netMinor));
      assert.deepEqual(summary(inclusive), summary(exclusive));
      assert.deepEqual(inclusive.taxBreakdown, exclusive.taxBreakdown);
    }),
    { numRuns: 200 },
  );
});

/** 1 + the combined (compounded) rate, computed independently of the code under test. */
function multiplierOf(taxes: TotalsTax[]): Decimal {
  let total: Decimal = ONE;
  let preceding: Decimal = decimal('0');
  for (const t of taxes) {
    const amount = percentOf(t.compound ? add(ONE, preceding) : ONE, t.percentage);
    preceding = add(preceding, amount);
    total = add(total, amount);
  }
  return total;
}

test('a 1,000-line invoice in both modes stays exact and fast', () => {
  const lines = fc.sample(lineArb, { numRuns: 1000, seed: 42 });
  for (const priceMode of ['exclusive', 'inclusive'] as const) {
    const input: TotalsInput = { currency: 'EUR', priceMode, lines, discountPercent: decimal('7.5'), prepaidMinor: 100n };
    const started = process.hrtime.bigint();
    const totals = computeInvoiceTotals(input);
    const elapsedMs = (process.hrtime.bigint() - started) / 1_000_000n;
    checkInvariants(input, totals);
    assert.equal(totals.lines.length, 1000);
    assert.ok(elapsedMs < 2000n, `${priceMode}: ${elapsedMs} ms`);
    assert.match(formatAmount(totals.totalMinor, 'EUR'), /^-?\d+\.\d{2}$/);
    assert.equal(toDecimalString(fromMinor(totals.totalMinor, 2), 2), formatAmount(totals.totalMinor, 'EUR'));
  }
});
