/**
 * Proration by days, exact: an amount (quantity × unit price, unrounded) times
 * days / days-in-period, rounded once to the currency's minor unit. Nothing here is a float.
 */
import { multiply, pow10, roundQuotient, type Decimal, type RoundingMode } from '../../shared/decimal.ts';
import { allocate } from '../../shared/money.ts';

/** quantity × unit price, exact (the invoice rounds the same product once for a full period). */
export function lineAmount(quantity: Decimal, unitPrice: Decimal): Decimal {
  return multiply(quantity, unitPrice);
}

/** round(amount × days / periodDays) in minor units: the fraction is applied before the only rounding. */
export function prorate(amount: Decimal, days: number, periodDays: number, minorUnits: number, mode: RoundingMode): bigint {
  if (!Number.isInteger(days) || !Number.isInteger(periodDays) || periodDays <= 0 || days < 0 || days > periodDays) {
    throw new Error(`cannot prorate ${days} of ${periodDays} days`);
  }
  return roundQuotient(amount.units * BigInt(days) * pow10(minorUnits), pow10(amount.scale) * BigInt(periodDays), mode);
}

/** Σ amounts at one common scale, exact. */
function sumUnits(amounts: Decimal[], scale: number): bigint {
  return amounts.reduce((sum, amount) => sum + amount.units * pow10(scale - amount.scale), 0n);
}

/**
 * A mid-period change from `before` to `after` (the exact amounts of each item for a whole
 * period), effective for the last `days` of a `periodDays` period.
 *
 * Each old item is credited exactly its unused part, rounded once. The charges of the new items
 * are then sized so that charges − credits is the prorated difference of the totals, rounded once:
 * the change costs exactly round((Σafter − Σbefore) × days / periodDays), never a cent more or less,
 * however many items there are. The charges are split over the new items in proportion to their
 * amounts with `allocate`, so each stays within a unit or so of its own proration. (Without new
 * items the credits carry the difference the same way.)
 */
export function changeAdjustment(
  before: Decimal[], after: Decimal[], days: number, periodDays: number, minorUnits: number, mode: RoundingMode,
): { credits: bigint[]; charges: bigint[]; netMinor: bigint } {
  const scale = Math.max(0, ...before.map((a) => a.scale), ...after.map((a) => a.scale));
  const weights = (amounts: Decimal[]) => amounts.map((amount) => amount.units * pow10(scale - amount.scale));
  const difference = { units: sumUnits(after, scale) - sumUnits(before, scale), scale };
  const netMinor = prorate(difference, days, periodDays, minorUnits, mode);
  if (after.length === 0) {
    return { credits: before.length === 0 ? [] : allocate(-netMinor, weights(before)), charges: [], netMinor };
  }
  const credits = before.map((amount) => prorate(amount, days, periodDays, minorUnits, mode));
  const creditTotal = credits.reduce((a, b) => a + b, 0n);
  return { credits, charges: allocate(netMinor + creditTotal, weights(after)), netMinor };
}
