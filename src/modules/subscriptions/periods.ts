/**
 * Billing periods of a cycle, as a pure function of its start, interval and anchor. Periods are
 * half-open [start, end): `end` is the first day of the next period. Boundaries are computed from
 * the anchor each time, never by adding a month to the previous boundary, so a 31st anchor goes
 * Jan 31 → Feb 28 (29) → Mar 31 instead of drifting to the 28th.
 */
import type { IsoDate } from '../../shared/calendar.ts';
import { invalid } from '../../shared/errors.ts';

export const INTERVALS = ['weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type Interval = (typeof INTERVALS)[number];

/**
 * A cycle starts on `start`. Its periods begin on anchor days: the day of the month (1..31,
 * clamped to the month's last day) for monthly, quarterly and yearly intervals, the ISO weekday
 * (1 = Monday .. 7) for weekly ones. When `start` is not an anchor day, the first period is a
 * stub from `start` to the first anchor day.
 */
export type Cycle = { start: IsoDate; interval: Interval; intervalCount: number; anchorDay: number };

/**
 * One period. `fullDays` is the length of the whole aligned period it belongs to: a stub is
 * prorated against the period it cuts into. `index` counts full periods from 0; the stub is -1.
 */
export type Period = { index: number; start: IsoDate; end: IsoDate; days: number; fullDays: number };

const MONTHS: Record<Exclude<Interval, 'weekly'>, number> = { monthly: 1, quarterly: 3, yearly: 12 };

// Dates as day numbers (days since 1970-01-01) with integer civil-calendar arithmetic (proleptic
// Gregorian, H. Hinnant's algorithms): a billing run computes periods for every subscription each
// day, and this is ~50× faster than going through Temporal objects. Tests check it against Temporal.

/** The day number of an ISO date. */
export function dayNumber(iso: IsoDate): number {
  let year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  year -= month <= 2 ? 1 : 0;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719468;
}

/** The ISO date of a day number. */
export function isoOfDay(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function shiftDays(iso: IsoDate, days: number): IsoDate {
  return isoOfDay(dayNumber(iso) + days);
}

export function daysFrom(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday: 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday). */
const weekdayOf = (days: number) => ((((days + 3) % 7) + 7) % 7) + 1;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The anchor a cycle starting on `start` has unless one is given: the start's day or weekday. */
export function defaultAnchorDay(interval: Interval, start: IsoDate): number {
  return interval === 'weekly' ? weekdayOf(dayNumber(start)) : Number(start.slice(8, 10));
}

export function validateAnchorDay(interval: Interval, anchorDay: number, field = 'anchorDay'): void {
  const max = interval === 'weekly' ? 7 : 31;
  if (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > max) {
    throw invalid(field, interval === 'weekly' ? 'must be an ISO weekday from 1 (Monday) to 7 (Sunday) for a weekly interval' : 'must be a day of the month from 1 to 31');
  }
}

/** The day number of day `anchorDay` of month `monthIndex` (year × 12 + month − 1), clamped to the month's end. */
function anchorInMonth(monthIndex: number, anchorDay: number): number {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(anchorDay, daysInMonth(year, month));
  return dayNumber(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

const monthIndexOf = (iso: IsoDate) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;

/** The first anchor day on or after the cycle's start (a day number): where full periods begin. */
function firstBoundary(cycle: Cycle): number {
  const start = dayNumber(cycle.start);
  if (cycle.interval === 'weekly') return start + ((cycle.anchorDay - weekdayOf(start) + 7) % 7);
  const sameMonth = anchorInMonth(monthIndexOf(cycle.start), cycle.anchorDay);
  return sameMonth >= start ? sameMonth : anchorInMonth(monthIndexOf(cycle.start) + 1, cycle.anchorDay);
}

/** Boundary k (k = 0 is the first anchor day on or after start; k may be negative), a day number. */
function boundary(cycle: Cycle, first: number, k: number): number {
  if (cycle.interval === 'weekly') return first + 7 * cycle.intervalCount * k;
  return anchorInMonth(monthIndexOf(isoOfDay(first)) + k * MONTHS[cycle.interval] * cycle.intervalCount, cycle.anchorDay);
}

function periodOf(cycle: Cycle, first: number, index: number): Period {
  const end = boundary(cycle, first, index + 1);
  const alignedStart = boundary(cycle, first, index);
  const start = index < 0 ? dayNumber(cycle.start) : alignedStart;
  return { index, start: isoOfDay(start), end: isoOfDay(end), days: end - start, fullDays: end - alignedStart };
}

/** The period of the cycle that contains `day` (on or after the cycle's start). */
export function periodContaining(cycle: Cycle, day: IsoDate): Period {
  const first = firstBoundary(cycle);
  const target = dayNumber(day);
  if (target < dayNumber(cycle.start)) throw new Error(`${day} is before the cycle starts (${cycle.start})`);
  if (target < first) return periodOf(cycle, first, -1);
  // Estimate the index from the distance, then step to the exact period.
  let k = cycle.interval === 'weekly'
    ? Math.floor((target - first) / (7 * cycle.intervalCount))
    : Math.floor((monthIndexOf(day) - monthIndexOf(isoOfDay(first))) / (MONTHS[cycle.interval] * cycle.intervalCount));
  while (k > 0 && boundary(cycle, first, k) > target) k--;
  while (boundary(cycle, first, k + 1) <= target) k++;
  return periodOf(cycle, first, k);
}

/** The period after `period` in the same cycle. */
export function nextPeriod(cycle: Cycle, period: Period): Period {
  return periodOf(cycle, firstBoundary(cycle), period.index + 1);
}

/** The first boundary on or after `day`: where a change "at the next period" takes effect. */
export function nextBoundary(cycle: Cycle, day: IsoDate): IsoDate {
  const period = periodContaining(cycle, day);
  return period.start === day ? day : period.end;
}

/** Periods starting in [from, to) (whole periods; `from` on or after the cycle's start). */
export function periodsStartingBetween(cycle: Cycle, from: IsoDate, to: IsoDate): Period[] {
  const periods: Period[] = [];
  let period = periodContaining(cycle, from);
  if (period.start < from) period = nextPeriod(cycle, period);
  for (; period.start < to; period = nextPeriod(cycle, period)) periods.push(period);
  return periods;
}
