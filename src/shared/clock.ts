import { Temporal } from 'temporal-polyfill';
import type { IsoDate } from './calendar.ts';

/** The only source of "now": injected so tests and scenarios can travel in time. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: string | Date): Clock {
  const at = new Date(instant);
  return { now: () => at };
}

/** "Today" in an organization's time zone decides issue dates, due dates and overdue status. */
export function todayIn(timeZone: string, clock: Clock): IsoDate {
  return Temporal.Instant.fromEpochMilliseconds(clock.now().getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}
