/**
 * Invoice totals after EN 16931, as a pure function: no I/O, bigint and exact decimals only.
 * Rounding happens only at the points named in the comments below, with the invoice's mode,
 * to the currency's minor unit; everything in between is exact. Amounts inside are minor units.
 */
import { assertCurrency } from '../../shared/currencies.ts';
import {
  ONE, ZERO, abs, add, compare, divide, fromMinor, isZero, multiply, percentOf, pow10, roundToInteger, sign, subtract,
  type Decimal, type RoundingMode,
} from '../../shared/decimal.ts';
import { assert, invalid } from '../../shared/errors.ts';
import { allocate, roundToMinor } from '../../shared/money.ts';

export type TaxCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O' | 'L' | 'M';
export type TotalsTax = { id: string; name: string; percentage: Decimal; category: TaxCategory; compound: boolean };
/** `taxes` in the order they apply: a compound tax is charged on the net plus the taxes before it. */
export type TotalsLine = { quantity: Decimal; unitPrice: Decimal; discountPercent?: Decimal; taxes: TotalsTax[] };
export type TotalsInput = {
  currency: string;
  priceMode: 'exclusive' | 'inclusive';
  lines: TotalsLine[];
  discountPercent?: Decimal;
  rounding?: RoundingMode;
  prepaidMinor?: bigint;
};
export type LineTotals = { amountMinor: bigint; discountMinor: bigint; netMinor: bigint };
export type TaxBreakdownEntry = {
  taxId: string; name: string; category: TaxCategory; percentage: Decimal; compound: boolean;
  taxableMinor: bigint; taxMinor: bigint;
};
export type InvoiceTotals = {
  lines: LineTotals[];
  subtotalMinor: bigint;
  discountTotalMinor: bigint;
  taxableMinor: bigint;
  taxTotalMinor: bigint;
  totalMinor: bigint;
  taxBreakdown: TaxBreakdownEntry[];
  prepaidMinor: bigint;
  amountDueMinor: bigint;
};

/** Categories that EN 16931 requires to carry a 0 % rate. */
const ZERO_RATE_CATEGORIES: ReadonlySet<TaxCategory> = new Set(['Z', 'E', 'AE', 'K', 'G', 'O']);
const HUNDRED: Decimal = { units: 100n, scale: 0 };

type Context = { currency: string; mode: RoundingMode; priceMode: TotalsInput['priceMode'] };
type LineAmount = { amountMinor: bigint; discountMinor: bigint };
/** Lines sharing the same ordered list of tax ids: taxes are computed per group, not per line. */
type TaxGroup = { taxes: readonly TotalsTax[]; lineIndexes: number[] };
/** One tax of a chain: its exact base and exact amount (in minor units, unrounded). */
type ChainedTax = { tax: TotalsTax; base: Decimal; amount: Decimal };
/** Per tax over all groups: exact base, rounded tax, and how far BR-CO-17 may drift (see slack). */
type TaxAccumulation = { tax: TotalsTax; base: Decimal; taxMinor: bigint; slack: Decimal };
type CoreTotals = {
  lineNets: bigint[];
  discountTotalMinor: bigint;
  groupTaxables: bigint[];
  taxes: Map<string, TaxAccumulation>;
  /** Inclusive mode only: what the customer was quoted, which the total must equal exactly. */
  quotedTotalMinor?: bigint;
};
/** An exact ratio num/den (den > 0) used to split a rounded total back over signed parts. */
type Ratio = { num: bigint; den: bigint };

export function computeInvoiceTotals(input: TotalsInput): InvoiceTotals {
  validateTotalsInput(input);
  const ctx: Context = { currency: input.currency, mode: input.rounding ?? 'half_up', priceMode: input.priceMode };
  const amounts = input.lines.map((line) => lineAmount(line, ctx));
  const groups = groupLinesByTaxes(input.lines);
  const core = ctx.priceMode === 'exclusive'
    ? exclusiveTotals(input, amounts, groups, ctx)
    : inclusiveTotals(input, amounts, groups, ctx);
  const totals = assembleTotals(amounts, core, input.prepaidMinor ?? 0n, ctx);
  assertTotalsInvariants(totals, core, ctx);
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Validation: the pure function is also the last line of defence for rates that make no sense.

function validateTotalsInput(input: TotalsInput): void {
  assertCurrency(input.currency, 'currency');
  validatePercent(input.discountPercent, 'discountPercent');
  const known = new Map<string, TotalsTax>();
  input.lines.forEach((line, i) => {
    validatePercent(line.discountPercent, `lines[${i}].discountPercent`);
    const seen = new Set<string>();
    line.taxes.forEach((tax, j) => {
      const field = `lines[${i}].taxes[${j}]`;
      if (seen.has(tax.id)) throw invalid(field, `lists tax ${tax.id} twice on one line`);
      seen.add(tax.id);
      validateTax(tax, field);
      const first = known.get(tax.id);
      if (first && !sameTaxRule(first, tax)) {
        throw invalid(field, `tax ${tax.id} has a different rate, category or compounding than on an earlier line`);
      }
      known.set(tax.id, first ?? tax);
    });
  });
}

function validatePercent(percent: Decimal | undefined, field: string): void {
  if (percent && (sign(percent) < 0 || compare(percent, HUNDRED) > 0)) throw invalid(field, 'must be between 0 and 100');
}

function validateTax(tax: TotalsTax, field: string): void {
  if (sign(tax.percentage) < 0) throw invalid(`${field}.percentage`, 'must not be negative');
  if (ZERO_RATE_CATEGORIES.has(tax.category) && !isZero(tax.percentage)) {
    throw invalid(`${field}.percentage`, `must be 0 for tax category ${tax.category}`);
  }
}

function sameTaxRule(a: TotalsTax, b: TotalsTax): boolean {
  return compare(a.percentage, b.percentage) === 0 && a.category === b.category && a.compound === b.compound;
}

// ---------------------------------------------------------------------------------------------
// Lines and groups.

/** Rounding point 1 and 2: line gross and line discount, each rounded once from the exact product. */
function lineAmount(line: TotalsLine, ctx: Context): LineAmount {
  const gross = multiply(line.quantity, line.unitPrice);
  const grossMinor = roundToMinor(gross, ctx.currency, ctx.mode);
  const discountMinor = line.discountPercent ? roundToMinor(percentOf(gross, line.discountPercent), ctx.currency, ctx.mode) : 0n;
  return { amountMinor: grossMinor - discountMinor, discountMinor };
}

function groupLinesByTaxes(lines: readonly TotalsLine[]): TaxGroup[] {
  const groups = new Map<string, TaxGroup>();
  lines.forEach((line, index) => {
    const key = JSON.stringify(line.taxes.map((tax) => tax.id));
    const group = groups.get(key) ?? { taxes: line.taxes, lineIndexes: [] };
    group.lineIndexes.push(index);
    groups.set(key, group);
  });
  return [...groups.values()]; // in order of each group's first line, so taxes keep first-appearance order
}

/** Exact taxes of a chain on `base`; a compound tax's base includes the exact taxes before it. */
function chainTaxes(base: Decimal, taxes: readonly TotalsTax[]): ChainedTax[] {
  let preceding = ZERO;
  return taxes.map((tax) => {
    const taxBase = tax.compound ? add(base, preceding) : base;
    const amount = percentOf(taxBase, tax.percentage);
    preceding = add(preceding, amount);
    return { tax, base: taxBase, amount };
  });
}

/** 1 + the combined rate of the chain: inclusive amount = exclusive amount × multiplier. */
function chainMultiplier(taxes: readonly TotalsTax[]): Decimal {
  return chainTaxes(ONE, taxes).reduce((total, { amount }) => add(total, amount), ONE);
}

// ---------------------------------------------------------------------------------------------
// Exclusive prices: nets are given, taxes are added on top.

function exclusiveTotals(input: TotalsInput, amounts: LineAmount[], groups: TaxGroup[], ctx: Context): CoreTotals {
  const lineNets = amounts.map((amount) => amount.amountMinor);
  const groupNets = groups.map((group) => sumOf(group.lineIndexes.map((i) => lineNets[i]!)));
  const discountPercent = input.discountPercent ?? ZERO;
  // Rounding point 3: the document discount, once, on the subtotal.
  const discountTotalMinor = roundToInteger(percentOf(integer(sumOf(lineNets)), discountPercent), ctx.mode);
  const groupDiscounts = splitProportionally(discountTotalMinor, groupNets, percentRatio(discountPercent));
  const groupTaxables = groupNets.map((net, g) => net - groupDiscounts[g]!);
  const taxes = new Map<string, TaxAccumulation>();
  groups.forEach((group, g) => {
    for (const { tax, base } of chainTaxes(integer(groupTaxables[g]!), group.taxes)) accumulateTax(taxes, tax, base, 0n, ZERO);
  });
  for (const entry of taxes.values()) {
    // Rounding point 4: each tax once, on its exact base summed over all its groups (not per line).
    entry.taxMinor = roundToInteger(percentOf(entry.base, entry.tax.percentage), ctx.mode);
    entry.slack = add(ONE, rateOf(entry.tax)); // compound bases are not whole minor units; see assertBrCo17
  }
  return { lineNets, discountTotalMinor, groupTaxables, taxes };
}

// ---------------------------------------------------------------------------------------------
// Inclusive prices: the customer's price is fixed; net and tax are carved out of it.

type InclusiveGroup = { lineNets: bigint[]; discountMinor: bigint; taxableMinor: bigint; taxes: ChainedTax[]; taxShares: bigint[]; slack: Decimal };

function inclusiveTotals(input: TotalsInput, amounts: LineAmount[], groups: TaxGroup[], ctx: Context): CoreTotals {
  const groupAmounts = groups.map((group) => sumOf(group.lineIndexes.map((i) => amounts[i]!.amountMinor)));
  const discountPercent = input.discountPercent ?? ZERO;
  // Rounding point 3: the inclusive document discount, once, on everything quoted.
  const quotedDiscount = roundToInteger(percentOf(integer(sumOf(groupAmounts)), discountPercent), ctx.mode);
  const groupDiscounts = splitProportionally(quotedDiscount, groupAmounts, percentRatio(discountPercent));
  const lineNets: bigint[] = amounts.map(() => 0n);
  const taxes = new Map<string, TaxAccumulation>();
  const parts = groups.map((group, g) => inclusiveGroup(group, groupAmounts[g]!, groupDiscounts[g]!, amounts, ctx));
  parts.forEach((part, g) => {
    part.lineNets.forEach((net, k) => (lineNets[groups[g]!.lineIndexes[k]!] = net));
    part.taxes.forEach(({ tax, base }, j) => accumulateTax(taxes, tax, base, part.taxShares[j]!, part.slack));
  });
  for (const entry of taxes.values()) entry.slack = add(entry.slack, rateOf(entry.tax));
  return {
    lineNets,
    discountTotalMinor: sumOf(parts.map((part) => part.discountMinor)),
    groupTaxables: parts.map((part) => part.taxableMinor),
    taxes,
    quotedTotalMinor: sumOf(groupAmounts) - quotedDiscount,
  };
}

/** One tax group in inclusive mode: divide out the multiplier, and let tax be what remains. */
function inclusiveGroup(group: TaxGroup, amountMinor: bigint, discountMinor: bigint, amounts: LineAmount[], ctx: Context): InclusiveGroup {
  const multiplier = chainMultiplier(group.taxes);
  // Rounding point 4: the group's exclusive net and exclusive discount, each once.
  const netMinor = divide(integer(amountMinor), multiplier, 0, ctx.mode).units;
  const lineAmounts = group.lineIndexes.map((i) => amounts[i]!.amountMinor);
  const lineNets = splitProportionally(netMinor, lineAmounts, { num: pow10(multiplier.scale), den: multiplier.units });
  const exclusiveDiscount = divide(integer(discountMinor), multiplier, 0, ctx.mode).units;
  const taxableMinor = netMinor - exclusiveDiscount;
  // The tax is whatever makes the total equal the quoted price exactly.
  const taxTotal = amountMinor - discountMinor - taxableMinor;
  const taxes = chainTaxes(integer(taxableMinor), group.taxes);
  return {
    lineNets, discountMinor: exclusiveDiscount, taxableMinor, taxes,
    taxShares: splitGroupTax(taxTotal, taxes, ctx.mode),
    slack: inclusiveGroupSlack(multiplier, group.taxes.length),
  };
}

/**
 * Rounding point 5: a group's tax total split over its taxes: each exact amount rounded, and the
 * rounding difference given to the largest non-zero-rate tax, so zero-rate taxes stay exactly 0.
 */
function splitGroupTax(taxTotal: bigint, taxes: ChainedTax[], mode: RoundingMode): bigint[] {
  const shares = taxes.map(({ amount }) => roundToInteger(amount, mode));
  const difference = taxTotal - sumOf(shares);
  if (difference === 0n) return shares;
  const largest = indexOfLargestTax(taxes);
  assert(largest >= 0, 'a tax rounding difference needs a tax with a non-zero rate');
  shares[largest]! += difference;
  return shares;
}

function indexOfLargestTax(taxes: ChainedTax[]): number {
  let largest = -1;
  taxes.forEach(({ tax, amount }, index) => {
    if (isZero(tax.percentage)) return;
    if (largest < 0 || compare(abs(amount), abs(taxes[largest]!.amount)) > 0) largest = index; // ties: earliest
  });
  return largest;
}

/**
 * How far, in minor units, a group can move a tax away from taxable × rate in inclusive mode:
 * net and discount are each rounded (< 1 unit apiece, times the multiplier), each tax is rounded
 * (< 1 unit apiece in any mode) and the largest absorbs the rest. The bound is asserted.
 */
function inclusiveGroupSlack(multiplier: Decimal, taxCount: number): Decimal {
  return add(integer(1n + BigInt(taxCount)), multiply(integer(2n), multiplier));
}

// ---------------------------------------------------------------------------------------------
// Splitting and accumulating.

/**
 * Splits a rounded total back over parts whose exact values are weight × ratio. Same-sign weights
 * go through `allocate` (largest remainder, proportional). Mixed signs (a credit line in one
 * group, say) have no meaningful proportion of their sum, so each part keeps its own exact value,
 * floored, and the leftover units go to the largest remainders.
 */
function splitProportionally(total: bigint, weights: bigint[], ratio: Ratio): bigint[] {
  if (weights.length === 0) return [];
  if (weights.every((w) => w >= 0n)) return allocate(total, weights);
  if (weights.every((w) => w <= 0n)) return allocate(total, weights.map((w) => -w));
  return splitByLargestRemainder(total, weights.map((w) => w * ratio.num), ratio.den);
}

/** `total` over exact parts num_i / den, where total is the floor or ceiling of Σ parts. */
function splitByLargestRemainder(total: bigint, nums: bigint[], den: bigint): bigint[] {
  const shares = nums.map((num) => floorDiv(num, den));
  let leftover = total - sumOf(shares);
  assert(leftover >= 0n && leftover <= BigInt(nums.length), 'split total must round the sum of its parts');
  const order = nums
    .map((num, index) => ({ remainder: num - shares[index]! * den, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (leftover === 0n) break;
    shares[index]! += 1n;
    leftover -= 1n;
  }
  return shares;
}

function accumulateTax(taxes: Map<string, TaxAccumulation>, tax: TotalsTax, base: Decimal, taxMinor: bigint, slack: Decimal): void {
  const entry = taxes.get(tax.id);
  if (!entry) {
    taxes.set(tax.id, { tax, base, taxMinor, slack });
    return;
  }
  entry.base = add(entry.base, base);
  entry.taxMinor += taxMinor;
  entry.slack = add(entry.slack, slack);
}

// ---------------------------------------------------------------------------------------------
// Assembly and invariants.

function assembleTotals(amounts: LineAmount[], core: CoreTotals, prepaidMinor: bigint, ctx: Context): InvoiceTotals {
  const lines = amounts.map((amount, i) => ({ ...amount, netMinor: core.lineNets[i]! }));
  const taxBreakdown = [...core.taxes.values()].map(({ tax, base, taxMinor }) => ({
    taxId: tax.id, name: tax.name, category: tax.category, percentage: tax.percentage, compound: tax.compound,
    taxableMinor: roundToInteger(base, ctx.mode), // whole already, except bases of compound taxes
    taxMinor,
  }));
  const subtotalMinor = sumOf(core.lineNets);
  const taxableMinor = subtotalMinor - core.discountTotalMinor;
  const taxTotalMinor = sumOf(taxBreakdown.map((entry) => entry.taxMinor));
  const totalMinor = taxableMinor + taxTotalMinor;
  return {
    lines, subtotalMinor, discountTotalMinor: core.discountTotalMinor, taxableMinor, taxTotalMinor, totalMinor,
    taxBreakdown, prepaidMinor, amountDueMinor: totalMinor - prepaidMinor,
  };
}

function assertTotalsInvariants(totals: InvoiceTotals, core: CoreTotals, ctx: Context): void {
  assert(totals.subtotalMinor === sumOf(totals.lines.map((line) => line.netMinor)), 'subtotal = Σ line nets');
  assert(totals.taxableMinor === totals.subtotalMinor - totals.discountTotalMinor, 'taxable = subtotal − discount');
  assert(totals.taxableMinor === sumOf(core.groupTaxables), 'taxable = Σ tax-group taxables');
  assert(totals.totalMinor === totals.taxableMinor + totals.taxTotalMinor, 'total = taxable + tax');
  assert(totals.taxTotalMinor === sumOf(totals.taxBreakdown.map((entry) => entry.taxMinor)), 'tax total = Σ breakdown tax');
  assert(totals.amountDueMinor === totals.totalMinor - totals.prepaidMinor, 'amount due = total − prepaid');
  if (core.quotedTotalMinor !== undefined) assert(totals.totalMinor === core.quotedTotalMinor, 'inclusive total = quoted − discount');
  for (const entry of totals.taxBreakdown) {
    const accumulation = core.taxes.get(entry.taxId)!;
    if (!entry.compound) {
      // A non-compound tax is charged on whole group taxables, so its base reconciles exactly.
      assert(compare(accumulation.base, integer(entry.taxableMinor)) === 0, `taxable of ${entry.taxId} = Σ its groups' taxables`);
    }
    if (isZero(entry.percentage)) assert(entry.taxMinor === 0n, `zero-rate tax ${entry.taxId} has no tax`);
    assertBrCo17(entry, accumulation.slack, ctx);
  }
}

/**
 * EN 16931 BR-CO-17: tax = taxable × rate, rounded. Exact for exclusive non-compound taxes;
 * otherwise within the slack the computation allows (a compound base or an inclusive carve-out).
 */
function assertBrCo17(entry: TaxBreakdownEntry, slack: Decimal, ctx: Context): void {
  const expected = percentOf(integer(entry.taxableMinor), entry.percentage);
  if (ctx.priceMode === 'exclusive' && !entry.compound) {
    assert(entry.taxMinor === roundToInteger(expected, ctx.mode), `BR-CO-17: ${entry.taxId} = round(taxable × rate)`);
    return;
  }
  const drift = abs(subtract(integer(entry.taxMinor), expected));
  assert(compare(drift, slack) <= 0, `BR-CO-17: ${entry.taxId} within ${slack.units}e-${slack.scale} of taxable × rate`);
}

// ---------------------------------------------------------------------------------------------
// Small arithmetic helpers.

/** A whole number of minor units as a Decimal, so exact rates can multiply it. */
function integer(minor: bigint): Decimal {
  return fromMinor(minor, 0);
}

function rateOf(tax: TotalsTax): Decimal {
  return percentOf(ONE, tax.percentage);
}

function percentRatio(percent: Decimal): Ratio {
  return { num: percent.units, den: pow10(percent.scale + 2) };
}

function sumOf(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

function floorDiv(num: bigint, den: bigint): bigint {
  const quotient = num / den;
  return num % den !== 0n && num < 0n ? quotient - 1n : quotient;
}
