import { Temporal } from 'temporal-polyfill';
import { invalid } from './errors.ts';

/** Business dates are ISO calendar dates (`YYYY-MM-DD`), never instants. */
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseIsoDate(text: unknown, field: string): IsoDate {
  if (typeof text !== 'string' || !ISO_DATE.test(text)) throw invalid(field, 'must be a date written YYYY-MM-DD');
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' }).toString();
  } catch {
    throw invalid(field, `is not a calendar date (${text})`);
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Month arithmetic clamps to the month's end: Jan 31 + 1 month = Feb 28 (or 29). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return Temporal.PlainDate.from(date).add({ months }, { overflow: 'constrain' }).toString();
}

export function endOfMonth(date: IsoDate): IsoDate {
  const day = Temporal.PlainDate.from(date);
  return day.with({ day: day.daysInMonth }).toString();
}

export function yearOf(date: IsoDate): number {
  return Temporal.PlainDate.from(date).year;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}
