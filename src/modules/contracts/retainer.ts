/**
 * Retainer arithmetic (pure). Durations are whole seconds: hours have at most 2 decimals (36 s)
 * and time entries whole minutes, so every quantity here is exact.
 */
import { currencyMinorUnits } from '../../shared/currencies.ts';
import { parseDecimal, pow10, roundQuotient, type Decimal, type RoundingMode } from '../../shared/decimal.ts';

export type Rollover = 'none' | 'unlimited' | 'capped';
export type RetainerTerms = { includedSeconds: number; rollover: Rollover; capSeconds: number | null };

export type PeriodClose = {
  /** Included plus carried in. */
  availableSeconds: number;
  usedSeconds: number;
  overageSeconds: number;
  /** Unused time taken into the next period (none: 0; unlimited: all; capped: at most the cap). */
  carriedOutSeconds: number;
};

/** Hours as written in the terms ("40", "7.25") in seconds. */
export function hoursToSeconds(hours: string): number {
  const value = parseDecimal(hours, 'hours', { maxScale: 2, allowNegative: false });
  return Number((value.units * 3600n) / pow10(value.scale));
}

/** Closes a period: what was used beyond what was available, and what rolls over. */
export function closePeriod(terms: RetainerTerms, carriedInSeconds: number, usedSeconds: number): PeriodClose {
  const availableSeconds = terms.includedSeconds + carriedInSeconds;
  const overageSeconds = Math.max(0, usedSeconds - availableSeconds);
  const unused = Math.max(0, availableSeconds - usedSeconds);
  const carriedOutSeconds = terms.rollover === 'none' ? 0 : terms.rollover === 'unlimited' ? unused : Math.min(unused, terms.capSeconds ?? 0);
  return { availableSeconds, usedSeconds, overageSeconds, carriedOutSeconds };
}

/** round(seconds × rate / 3600) in minor units: the one rounding of an overage line. */
export function amountForSeconds(seconds: number, rate: Decimal, currency: string, mode: RoundingMode): bigint {
  return roundQuotient(BigInt(seconds) * rate.units * pow10(currencyMinorUnits(currency)), 3600n * pow10(rate.scale), mode);
}

/** "32.5 h", "40 h", "0.33 h" (to 2 decimals, for descriptions). */
export function formatHours(seconds: number): string {
  const hundredths = roundQuotient(BigInt(seconds) * 100n, 3600n, 'half_up');
  const whole = hundredths / 100n;
  const rest = hundredths % 100n;
  if (rest === 0n) return `${whole} h`;
  return `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')} h`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "March 2026" for a period that is one calendar month, else "2026-03-15 – 2026-04-14" (inclusive). */
export function periodLabel(start: string, end: string, lastDay: string): string {
  const sameMonthStart = start.endsWith('-01') && end.endsWith('-01');
  const months = (Number(end.slice(0, 4)) * 12 + Number(end.slice(5, 7))) - (Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)));
  if (sameMonthStart && months === 1) return `${MONTHS[Number(start.slice(5, 7)) - 1]} ${start.slice(0, 4)}`;
  if (sameMonthStart && months === 12 && start.slice(5, 7) === '01') return start.slice(0, 4);
  return `${start} – ${lastDay}`;
}
