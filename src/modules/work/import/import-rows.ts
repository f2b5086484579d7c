import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { clockify } from './parse-clockify.ts';
import { harvest } from './parse-harvest.ts';
import { plain } from './parse-plain.ts';
import { toggl } from './parse-toggl.ts';
import { CellError, type Cells, type FormatReader, type ImportFormat, type ImportRow, type RowError } from './row.ts';

const READERS: Record<ImportFormat, FormatReader> = { toggl, clockify, harvest, csv: plain };

/** A row read from the file: where it was, and the key that recognises it when imported again. */
export type ParsedRow = ImportRow & { line: number; importKey: string };

export type ParsedFile = { rows: ParsedRow[]; errors: RowError[] };

/** Header names compared loosely: trimmed, case-insensitive, `_` as a space. */
const normalize = (name: string) => name.trim().toLowerCase().replaceAll('_', ' ').replace(/\s+/g, ' ');

const countNewlines = (text: string) => {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
};

type CsvRecord = { values: string[]; line: number };

/**
 * The records of a CSV file with the physical line each starts on (the header is line 1; a quoted
 * field may span lines). Accepts a UTF-8 BOM, CRLF or LF, and skips empty lines.
 */
function readRecords(csv: string): CsvRecord[] {
  const bytes = Buffer.from(csv, 'utf8');
  const entries = parse(csv, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
  return entries.map(({ record, info }) => {
    // info.bytes is where the record ends (after its line break): its last line, less the lines inside its fields.
    const end = bytes[info.bytes - 1] === 0x0a ? info.bytes - 1 : info.bytes;
    const lastLine = countNewlines(bytes.subarray(0, end).toString('utf8')) + 1;
    return { values: record, line: lastLine - record.reduce((sum, value) => sum + countNewlines(value), 0) };
  });
}

/** Recognises a row on re-import: the format and the row as read (not its line), plus its occurrence in the file. */
function keyOf(format: ImportFormat, row: ImportRow, occurrence: number): string {
  const normal = [
    format, row.date, row.projectName.toLowerCase(), row.taskName?.toLowerCase() ?? '', row.userEmail ?? '', String(row.minutes),
    row.description, row.billable === undefined ? '' : String(row.billable), String(occurrence),
  ];
  return createHash('sha256').update(JSON.stringify(normal)).digest('hex');
}

/** Reads a whole file of `format` into rows and the errors of the rows that could not be read. Pure. */
export function parseImportFile(csv: string, format: ImportFormat): ParsedFile {
  const reader = READERS[format];
  let records: CsvRecord[];
  try {
    records = readRecords(csv);
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      return { rows: [], errors: [{ line, column: '', message: `The file is not valid CSV: ${error.message}` }] };
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ line: 1, column: '', message: 'The file is empty.' }] };
  const names = header.values.map(normalize);
  const missing = reader.columns
    .map((column) => (Array.isArray(column) ? column : [column]))
    .filter((alternatives) => !alternatives.some((name) => names.includes(normalize(name))));
  if (missing.length > 0) {
    return {
      rows: [],
      errors: missing.map((alternatives) => ({
        line: header.line, column: alternatives.join(' or '),
        message: `is missing from the header: is this a ${format === 'csv' ? 'plain csv' : format} export?`,
      })),
    };
  }
  const rows: ParsedRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const record of body) {
    const cells: Cells = {
      get: (column) => {
        const index = names.indexOf(normalize(column));
        return index < 0 ? undefined : record.values[index];
      },
      has: (column) => names.includes(normalize(column)),
    };
    try {
      const row = reader.read(cells);
      const base = keyOf(format, row, 0);
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      rows.push({ ...row, line: record.line, importKey: occurrence === 0 ? base : keyOf(format, row, occurrence) });
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      errors.push({ line: record.line, column: error.column, message: error.message });
    }
  }
  return { rows, errors };
}
