import { invalid } from './errors.ts';

/** Opaque cursors: the sort key of the last row seen, so pages stay stable while rows are added. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, width: number): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(values) && values.length === width && values.every((v) => typeof v === 'string')) return values;
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', 'is not a cursor returned by this list');
}

export type Page<T> = { data: T[]; nextCursor: string | null };

export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string[]): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
