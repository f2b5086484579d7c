import { Temporal } from 'temporal-polyfill';
import type { IsoDate } from '../../shared/calendar.ts';
import { invalid } from '../../shared/errors.ts';

export type ApprovalState = 'not_required' | 'pending' | 'approved' | 'rejected';
export const APPROVAL_STATES = ['not_required', 'pending', 'approved', 'rejected'] as const satisfies readonly ApprovalState[];

export type TimeEntry = {
  id: string;
  userId: string;
  projectId: string;
  taskId: string | null;
  date: IsoDate;
  minutes: number;
  start: string | null;
  end: string | null;
  description: string;
  billable: boolean;
  approvalState: ApprovalState;
  /** The line and invoice that bill it; null when unbilled (never billed, or its invoice is void). */
  invoiceLineId: string | null;
  invoiceId: string | null;
  /** Approved or billed: no longer editable. */
  locked: boolean;
  createdAt: string;
  updatedAt: string;
};

export type TimeEntryInput = {
  projectId: string;
  taskId?: string | null;
  userId?: string;
  date?: string;
  minutes?: number;
  start?: string;
  end?: string;
  description?: string;
  billable?: boolean;
};

export type TimeEntryChanges = Partial<Omit<TimeEntryInput, 'userId'>>;

export const MAX_MINUTES = 24 * 60;

export function checkMinutes(minutes: number, field = 'minutes'): number {
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) throw invalid(field, `must be a whole number of minutes from 1 to ${MAX_MINUTES}`);
  return minutes;
}

function instant(text: string, field: string): Date {
  const at = typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw invalid(field, 'must be an instant written like 2026-03-02T09:00:00Z');
  return at;
}

/** Minutes between two instants, to the nearest minute and at least one (the schema's check says the same). */
export function durationMinutes(start: Date, end: Date): number {
  return Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000));
}

export function timedSpan(startText: string, endText: string): { start: Date; end: Date; minutes: number } {
  const start = instant(startText, 'start');
  const end = instant(endText, 'end');
  if (end <= start) throw invalid('end', 'must be after start');
  if (end.getTime() - start.getTime() > MAX_MINUTES * 60_000) throw invalid('end', 'must be at most 24 hours after start');
  return { start, end, minutes: durationMinutes(start, end) };
}

export function dateIn(at: Date, timeZone: string): IsoDate {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** The Monday of the ISO week of `date`. */
export function weekStartOf(date: IsoDate): IsoDate {
  const day = Temporal.PlainDate.from(date);
  return day.subtract({ days: day.dayOfWeek - 1 }).toString();
}

export function isMonday(date: IsoDate): boolean {
  return Temporal.PlainDate.from(date).dayOfWeek === 1;
}
