import { Temporal } from 'temporal-polyfill';
import { parseDecimal, multiply, roundToInteger, decimal } from '../../../shared/decimal.ts';
import { DomainError } from '../../../shared/errors.ts';

/** The time trackers whose CSV exports can be imported, and a plain layout of our own. */
export const IMPORT_FORMATS = ['toggl', 'clockify', 'harvest', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One row of a file, read into the shape of a time entry but still naming things by name. */
export type ImportRow = {
  date: string;
  projectName: string;
  taskName?: string;
  userEmail?: string;
  minutes: number;
  description: string;
  /** Undefined when the file does not say (plain csv): the task's default, else billable. */
  billable?: boolean;
};

/** A row refused: the physical line of the file (the header is line 1), the column and why. */
export type RowError = { line: number; column: string; message: string };

/** Thrown by a cell reader; the row reader adds the line. */
export class CellError extends Error {
  constructor(readonly column: string, message: string) {
    super(message);
  }
}

/** The cells of one record, by header name (case-insensitive, trimmed). */
export type Cells = { get(column: string): string | undefined; has(column: string): boolean };

export function required(cells: Cells, column: string): string {
  const value = cells.get(column)?.trim() ?? '';
  if (value === '') throw new CellError(column, 'is empty');
  return value;
}

export function optional(cells: Cells, column: string): string | undefined {
  const value = cells.get(column)?.trim() ?? '';
  return value === '' ? undefined : value;
}

/** 2026-03-02, or the US 03/02/2026 that Clockify writes by default. */
export function parseDate(text: string, column: string, { us = false } = {}): string {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let parts: [string, string, string] | null = match ? [match[1]!, match[2]!, match[3]!] : null;
  if (!parts && us && (match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text))) parts = [match[3]!, match[1]!.padStart(2, '0'), match[2]!.padStart(2, '0')];
  if (parts) {
    try {
      return Temporal.PlainDate.from(`${parts[0]}-${parts[1]}-${parts[2]}`, { overflow: 'reject' }).toString();
    } catch {
      // falls through to the error below
    }
  }
  throw new CellError(column, `must be a date written like 2026-03-02${us ? ' or 03/02/2026' : ''} (got ${JSON.stringify(text)})`);
}

/** HH:MM:SS (or H:MM) to whole minutes; 30 seconds and more round up. */
export function minutesFromClock(text: string, column: string): number {
  const match = /^(\d{1,4}):([0-5]\d)(?::([0-5]\d))?$/.exec(text.trim());
  if (!match) throw new CellError(column, `must be a duration written like 01:30:00 (got ${JSON.stringify(text)})`);
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
  return checkedMinutes(Math.floor(seconds / 60) + (seconds % 60 >= 30 ? 1 : 0), column);
}

/** Decimal hours ("1.5", "0.25") to whole minutes, exactly: hours × 60 rounded half up. */
export function minutesFromHours(text: string, column: string): number {
  let hours;
  try {
    hours = parseDecimal(text.trim(), column, { allowNegative: false, maxScale: 10, maxIntegerDigits: 4 });
  } catch (error) {
    if (error instanceof DomainError) throw new CellError(column, `must be a number of hours like 1.5 (got ${JSON.stringify(text)})`);
    throw error;
  }
  return checkedMinutes(Number(roundToInteger(multiply(hours, decimal('60')), 'half_up')), column);
}

/** Whole minutes ("90"). */
export function minutesFromText(text: string, column: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) throw new CellError(column, `must be a whole number of minutes (got ${JSON.stringify(text)})`);
  return checkedMinutes(Number(text.trim()), column);
}

function checkedMinutes(minutes: number, column: string): number {
  if (minutes < 1) throw new CellError(column, 'is shorter than half a minute');
  if (minutes > 24 * 60) throw new CellError(column, 'is longer than 24 hours');
  return minutes;
}

const YES = new Set(['yes', 'true', '1', 'y']);
const NO = new Set(['no', 'false', '0', 'n']);

export function parseYesNo(text: string, column: string): boolean {
  const value = text.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  throw new CellError(column, `must be Yes or No (got ${JSON.stringify(text)})`);
}

export function parseEmail(text: string | undefined, column: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[^\s@]+@[^\s@]+$/.test(text)) throw new CellError(column, `is not an e-mail address (got ${JSON.stringify(text)})`);
  return text.toLowerCase();
}

/** How one format reads: the columns that must be in the header, and one record into a row. */
export type FormatReader = {
  /** Each entry is a column, or alternatives of which one must be present. */
  columns: Array<string | string[]>;
  read(cells: Cells): ImportRow;
};
