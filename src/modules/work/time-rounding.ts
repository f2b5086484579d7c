/**
 * Billing time, exactly. Entries keep the minutes people entered; everything here happens only
 * when time is billed. The rule, in one place:
 *
 * 1. Each entry's minutes are rounded UP to the project's increment (1, 6, 15, 30... minutes,
 *    a divisor of 60), entry by entry: 7 minutes at a 15-minute increment bill 15.
 * 2. A line bills the sum of its entries' rounded minutes at one hourly rate. Its amount is
 *    round(minutes × rate / 60), rounded once per line with the organization's mode, never per
 *    entry, so no cent is lost across entries (per-entry shares are split with `allocate`).
 * 3. The quantity is in hours. Minutes that are a multiple of 3 are an exact decimal number of
 *    hours (3 min = 0.05, 6 min = 0.1, 15 min = 0.25) and are billed as that. Other minutes have no
 *    exact decimal (20 min = 0.333…), so the quantity is the hours to 4 decimals (or 5, or 6 if
 *    needed): the nearest such value for which invoicing's own line rule round(quantity × rate)
 *    gives exactly the amount of step 2. The amount is the truth; the quantity its faithful display.
 * 4. Only if no 6-decimal quantity can give that amount (rates above 1,000,000 minor units an
 *    hour), the line bills quantity 1 at the amount, and the caller names the time in its text.
 */
import { currencyMinorUnits } from '../../shared/currencies.ts';
import { fromMinor, multiply, pow10, roundQuotient, toDecimalString, type Decimal, type RoundingMode } from '../../shared/decimal.ts';
import { assert } from '../../shared/errors.ts';
import { roundToMinor } from '../../shared/money.ts';

/** Increments a project may round to: the divisors of an hour. */
export const ROUNDING_INCREMENTS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

export function roundUpMinutes(minutes: number, increment: number): number {
  assert(Number.isSafeInteger(minutes) && minutes > 0, `minutes must be a positive integer, got ${minutes}`);
  assert((ROUNDING_INCREMENTS as readonly number[]).includes(increment), `no rounding increment ${increment}`);
  const remainder = minutes % increment;
  return remainder === 0 ? minutes : minutes + increment - remainder;
}

/** round(minutes × rate / 60) in minor units: the one rounding of a time line. */
export function amountForMinutes(minutes: number, rate: Decimal, currency: string, mode: RoundingMode): bigint {
  const numerator = BigInt(minutes) * rate.units * pow10(currencyMinorUnits(currency));
  return roundQuotient(numerator, 60n * pow10(rate.scale), mode);
}

export type BilledTime = {
  /** Hours as a decimal string, or "1" for the lump-sum fallback of rule 4. */
  quantity: string;
  unit: 'hour' | null;
  unitPrice: string;
  amountMinor: bigint;
};

/** Hours at `scale` decimals, rounded with `mode`: minutes / 60. */
function hoursAt(minutes: number, scale: number, mode: RoundingMode): Decimal {
  return { units: roundQuotient(BigInt(minutes) * pow10(scale), 60n, mode), scale };
}

const QUANTITY_CANDIDATES: ReadonlyArray<[number, RoundingMode]> = [4, 5, 6].flatMap((scale) =>
  (['half_up', 'floor', 'ceiling'] as const).map((mode): [number, RoundingMode] => [scale, mode]),
);

/** The invoice line (quantity × unit price) for `minutes` at an hourly `rate`; see rules 2 to 4. */
export function billMinutes(minutes: number, rate: Decimal, currency: string, mode: RoundingMode): BilledTime {
  assert(Number.isSafeInteger(minutes) && minutes > 0, `minutes must be a positive integer, got ${minutes}`);
  const amountMinor = amountForMinutes(minutes, rate, currency, mode);
  const unitPrice = toDecimalString(rate);
  if (minutes % 3 === 0) return { quantity: toDecimalString(hoursAt(minutes, 2, 'down')), unit: 'hour', unitPrice, amountMinor };
  for (const [scale, quantityMode] of QUANTITY_CANDIDATES) {
    const quantity = hoursAt(minutes, scale, quantityMode);
    if (roundToMinor(multiply(quantity, rate), currency, mode) === amountMinor) {
      return { quantity: toDecimalString(quantity), unit: 'hour', unitPrice, amountMinor };
    }
  }
  const minorUnits = currencyMinorUnits(currency);
  return { quantity: '1', unit: null, unitPrice: toDecimalString(fromMinor(amountMinor, minorUnits)), amountMinor };
}

/** "2 h 05 min", for descriptions. */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours === 0 ? `${rest} min` : rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, '0')} min`;
}
