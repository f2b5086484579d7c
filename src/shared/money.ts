/**
 * Money is a bigint count of the currency's minor units (cents, fils, yen) beside an ISO 4217
 * code. In JSON it travels as a decimal string with exactly the currency's decimals.
 */
import { currencyMinorUnits } from './currencies.ts';
import { fromMinor, parseDecimal, rescale, toDecimalString, type Decimal, type RoundingMode } from './decimal.ts';

/** Decimal string (API form) → minor units. Refuses more decimals than the currency has. */
export function parseAmount(text: unknown, currency: string, field: string, opts: { allowNegative?: boolean } = {}): bigint {
  const minorUnits = currencyMinorUnits(currency);
  const value = parseDecimal(text, field, { maxScale: minorUnits, allowNegative: opts.allowNegative ?? false });
  return rescale(value, minorUnits, 'down').units; // exact: the scale only grows
}

/** Minor units → API string with exactly the currency's decimals: 123450n EUR → "1234.50", 5n JPY → "5". */
export function formatAmount(minor: bigint, currency: string): string {
  const minorUnits = currencyMinorUnits(currency);
  return toDecimalString(fromMinor(minor, minorUnits), minorUnits);
}

/** A decimal amount in major units (e.g. quantity × price) → minor units, rounded once, here. */
export function roundToMinor(value: Decimal, currency: string, mode: RoundingMode = 'half_up'): bigint {
  return rescale(value, currencyMinorUnits(currency), mode).units;
}

/**
 * Splits `total` in proportion to `weights` without losing or inventing a unit: each share gets
 * the floor of its exact proportion, and the units left over go to the largest remainders
 * (ties to the earliest index). Negative totals split symmetrically; all-zero weights split evenly.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new Error('allocate needs at least one weight');
  if (weights.some((w) => w < 0n)) throw new Error('allocate weights must be >= 0');
  const effective = weights.every((w) => w === 0n) ? weights.map(() => 1n) : weights;
  const weightSum = effective.reduce((a, b) => a + b, 0n);
  const magnitude = total < 0n ? -total : total;
  const shares = effective.map((w) => (magnitude * w) / weightSum);
  const remainders = effective.map((w) => (magnitude * w) % weightSum);
  let leftover = magnitude - shares.reduce((a, b) => a + b, 0n);
  const byRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    shares[index]! += 1n;
    leftover -= 1n;
  }
  return total < 0n ? shares.map((s) => -s) : shares;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Human display ("€1,234.50", "1.234,50 €"). Formats the exact decimal string, never a float. */
export function displayMoney(minor: bigint, currency: string, locale = 'en'): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = currencyMinorUnits(currency); // ISO decimals, which CLDR sometimes disagrees with
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, formatter);
  }
  // Node 20's Intl formats numeric strings exactly (Intl.NumberFormat v3).
  return formatter.format(formatAmount(minor, currency) as Intl.StringNumericLiteral);
}

/**
 * Money values carry their currency. The type parameter makes adding two literal currencies a
 * compile error (`addMoney(money(1n, 'EUR'), money(1n, 'USD'))`); for codes only known at run
 * time, addMoney throws, because mixing currencies is a bug, not user input.
 */
export type Money<C extends string = string> = { readonly minor: bigint; readonly currency: C };

export function money<C extends string>(minor: bigint, currency: C): Money<C> {
  currencyMinorUnits(currency); // throws for an unknown code
  return { minor, currency };
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new Error(`Cannot combine ${a.currency} and ${b.currency} amounts`);
}

export function addMoney<C extends string>(a: Money<C>, b: Money<NoInfer<C>>): Money<C> {
  assertSameCurrency(a, b);
  return { minor: a.minor + b.minor, currency: a.currency };
}

export function subtractMoney<C extends string>(a: Money<C>, b: Money<NoInfer<C>>): Money<C> {
  assertSameCurrency(a, b);
  return { minor: a.minor - b.minor, currency: a.currency };
}

/** Sum in a stated currency, so an empty list still has one. */
export function sumMoney<C extends string>(list: readonly Money<NoInfer<C>>[], currency: C): Money<C> {
  return list.reduce<Money<C>>((total, item) => addMoney(total, item), money(0n, currency));
}

export function formatMoney(value: Money): { amount: string; currency: string } {
  return { amount: formatAmount(value.minor, value.currency), currency: value.currency };
}
