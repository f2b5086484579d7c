import { ApiError } from './client.ts';

// Time imports (src/http/routes/imports.ts): all rows or none; a refused file answers 422
// import_rejected with every row error by line and column.

export const IMPORT_FORMATS = [
  { value: 'toggl', label: 'Toggl Track', hint: 'Detailed report export: Email, Project, Task, Description, Billable, Start date, Duration.' },
  { value: 'clockify', label: 'Clockify', hint: 'Detailed report export: Project, Task, Description, Email, Billable, Start Date, Duration (h).' },
  { value: 'harvest', label: 'Harvest', hint: 'Time export: Date, Project, Task, Notes, Hours, Billable?. Entries become yours.' },
  { value: 'csv', label: 'Plain CSV', hint: 'Columns date, project, minutes or hours; optional task, email, description, billable.' },
] as const;

export type ImportFormat = (typeof IMPORT_FORMATS)[number]['value'];

export type ImportRowError = { line: number; column: string; field: string; message: string };

export type ImportPreviewRow = {
  line: number;
  date: string;
  projectName: string;
  taskName: string | null;
  userEmail: string | null;
  minutes: number;
  description: string;
  billable: boolean;
  /** Imported before from this file: it will be skipped. */
  duplicate: boolean;
};

export type ImportResult = { total: number; imported: number; skipped: number; dryRun: boolean; preview: ImportPreviewRow[]; errors: ImportRowError[] };

/** The refused rows of an import_rejected problem, else null. */
export function rejectedRows(error: unknown): { errors: ImportRowError[]; errorCount: number } | null {
  if (!(error instanceof ApiError) || error.code !== 'import_rejected') return null;
  const problem = error.problem as unknown as { errors?: ImportRowError[]; errorCount?: number };
  const errors = problem.errors ?? [];
  return { errors, errorCount: problem.errorCount ?? errors.length };
}

/** The API reads up to 10 MiB of CSV. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
