/**
 * Exact decimal arithmetic over bigint. A Decimal is `units / 10^scale`; nothing here ever
 * touches a JavaScript number, so quantities, prices, rates and money never drift.
 * Rounding happens only where a caller asks for it, with a named mode.
 */
import { invalid } from './errors.ts';

export type Decimal = { readonly units: bigint; readonly scale: number };

/**
 * half_up = half away from zero (commercial rounding, the default); half_even = banker's rounding;
 * up = away from zero; down = toward zero (truncate); floor = toward -inf; ceiling = toward +inf.
 */
export type RoundingMode = 'half_up' | 'half_even' | 'up' | 'down' | 'floor' | 'ceiling';

export type ParseDecimalOptions = { maxScale?: number; maxIntegerDigits?: number; allowNegative?: boolean };

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
const TEN = 10n;
const powers: bigint[] = [1n];

/** 10^n as bigint, cached because every aligned operation needs one. */
export function pow10(n: number): bigint {
  if (!Number.isInteger(n) || n < 0) throw new Error(`pow10 needs a non-negative integer, got ${n}`);
  for (let i = powers.length; i <= n; i++) powers.push(powers[i - 1]! * TEN);
  return powers[n]!;
}

function make(units: bigint, scale: number): Decimal {
  if (!Number.isInteger(scale) || scale < 0) throw new Error(`Decimal scale must be a non-negative integer, got ${scale}`);
  return { units, scale };
}

export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });
export const ONE: Decimal = Object.freeze({ units: 1n, scale: 0 });

/** Shows what was refused without echoing a huge payload back into an error message. */
function describeInput(text: string): string {
  return JSON.stringify(text.length > 32 ? `${text.slice(0, 32)}…` : text);
}

/**
 * Parses user input strictly: only `-?digits(.digits)?`. No exponents, commas, signs other than
 * a leading minus, blanks, NaN/Infinity or bare points, because each of those has bitten a billing
 * system by being read as a different amount than the user meant.
 */
export function parseDecimal(text: unknown, field: string, opts: ParseDecimalOptions = {}): Decimal {
  const { maxScale = 10, maxIntegerDigits = 15, allowNegative = true } = opts;
  if (typeof text !== 'string') throw invalid(field, 'must be a decimal number given as a string like "12.50"');
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw invalid(field, `must be a decimal number like 12.50 (got ${describeInput(text)})`);
  const [, minus = '', integer = '', fraction = ''] = match;
  if (integer.replace(/^0+/, '').length > maxIntegerDigits) {
    throw invalid(field, `has more than ${maxIntegerDigits} digits before the decimal point`);
  }
  if (fraction.length > maxScale) {
    throw invalid(field, maxScale === 0 ? 'must be a whole number' : `has more than ${maxScale} decimal places`);
  }
  const value = make(BigInt(`${minus}${integer}${fraction}`), fraction.length);
  if (!allowNegative && value.units < 0n) throw invalid(field, 'must not be negative');
  return value;
}

/** Parses a decimal the program itself wrote (constants, database numeric columns): a bad one is a bug. */
export function decimal(text: string): Decimal {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new Error(`Not a decimal number: ${describeInput(text)}`);
  const [, minus = '', integer = '', fraction = ''] = match;
  return make(BigInt(`${minus}${integer}${fraction}`), fraction.length);
}

/** An integer count of minor units seen as a decimal amount with the given number of decimals. */
export function fromMinor(minor: bigint, scale: number): Decimal {
  return make(minor, scale);
}

/** Units of `d` expressed at a scale >= its own (exact: only appends zeros). */
function unitsAt(d: Decimal, scale: number): bigint {
  return d.units * pow10(scale - d.scale);
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return make(unitsAt(a, scale) + unitsAt(b, scale), scale);
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  return add(a, negate(b));
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return make(a.units * b.units, a.scale + b.scale);
}

/** value × percentage / 100, exact (the /100 is just two more decimal places). */
export function percentOf(value: Decimal, percentage: Decimal): Decimal {
  return make(value.units * percentage.units, value.scale + percentage.scale + 2);
}

export function negate(d: Decimal): Decimal {
  return make(-d.units, d.scale);
}

export function abs(d: Decimal): Decimal {
  return d.units < 0n ? negate(d) : d;
}

export function isZero(d: Decimal): boolean {
  return d.units === 0n;
}

export function sign(d: Decimal): -1 | 0 | 1 {
  return d.units > 0n ? 1 : d.units < 0n ? -1 : 0;
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  return sign(subtract(a, b));
}

/**
 * numerator / denominator rounded to an integer with `mode`. The one place rounding is decided;
 * every other rounding operation reduces to it.
 */
export function roundQuotient(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new Error('Division by zero');
  if (denominator < 0n) return roundQuotient(-numerator, -denominator, mode);
  const truncated = numerator / denominator; // toward zero
  const remainder = numerator % denominator; // same sign as numerator
  if (remainder === 0n) return truncated;
  const awayFromZero = truncated + (numerator < 0n ? -1n : 1n);
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  switch (mode) {
    case 'down':
      return truncated;
    case 'up':
      return awayFromZero;
    case 'floor':
      return numerator < 0n ? awayFromZero : truncated;
    case 'ceiling':
      return numerator > 0n ? awayFromZero : truncated;
    case 'half_up':
      return twiceRemainder >= denominator ? awayFromZero : truncated;
    case 'half_even':
      if (twiceRemainder !== denominator) return twiceRemainder > denominator ? awayFromZero : truncated;
      return truncated % 2n === 0n ? truncated : awayFromZero;
  }
}

/** The same value at another scale; rounds with `mode` when decimals are dropped. */
export function rescale(d: Decimal, scale: number, mode: RoundingMode): Decimal {
  if (scale >= d.scale) return make(unitsAt(d, scale), scale);
  return make(roundQuotient(d.units, pow10(d.scale - scale), mode), scale);
}

/** a / b rounded to `scale` decimals. */
export function divide(a: Decimal, b: Decimal, scale: number, mode: RoundingMode): Decimal {
  if (b.units === 0n) throw new Error('Division by zero');
  // (a.units / 10^a.scale) / (b.units / 10^b.scale) × 10^scale, kept as one integer fraction.
  const numerator = a.units * pow10(b.scale + scale);
  const denominator = b.units * pow10(a.scale);
  return make(roundQuotient(numerator, denominator, mode), scale);
}

export function roundToInteger(d: Decimal, mode: RoundingMode): bigint {
  return rescale(d, 0, mode).units;
}

/** Drops trailing zero decimals, never below `minScale`. */
function trimTrailingZeros(d: Decimal, minScale: number): Decimal {
  let { units, scale } = d;
  while (scale > minScale && units % TEN === 0n) {
    units /= TEN;
    scale -= 1;
  }
  return make(units, scale);
}

/** Canonical text: "0.25", "-3"; with minScale the decimals are padded ("1.50"). Never rounds. */
export function toDecimalString(d: Decimal, minScale = 0): string {
  const trimmed = trimTrailingZeros(d, minScale);
  const shown = trimmed.scale < minScale ? rescale(trimmed, minScale, 'down') : trimmed;
  const negative = shown.units < 0n;
  const digits = (negative ? -shown.units : shown.units).toString().padStart(shown.scale + 1, '0');
  const integerPart = digits.slice(0, digits.length - shown.scale);
  const fractionPart = digits.slice(digits.length - shown.scale);
  return `${negative ? '-' : ''}${integerPart}${shown.scale > 0 ? `.${fractionPart}` : ''}`;
}
