import { inTransaction, type Pool, type Queryable } from '../../../shared/db.ts';
import { DomainError } from '../../../shared/errors.ts';
import { parseImportFile, type ParsedRow } from './import-rows.ts';
import {
  existingImportKeys, firstOwner, insertImportedEntries, projectsNamed, usersByEmail, type ImportedEntry, type ProjectByName, type TaskByName,
} from './import-store.ts';
import type { ImportFormat, RowError } from './row.ts';

export const MAX_IMPORT_ERRORS = 100;
export const PREVIEW_ROWS = 20;
const BATCH = 500;

export type ImportInput = { csv: string; format: ImportFormat; dryRun?: boolean; onProgress?: (done: number, total: number) => void };

export type PreviewRow = {
  line: number; date: string; projectName: string; taskName: string | null; userEmail: string | null; minutes: number;
  description: string; billable: boolean; duplicate: boolean;
};

export type ImportResult = {
  /** Rows in the file (less empty lines and the header). */
  total: number;
  /** Entries added; 0 in a dry run or when rows were rejected. */
  imported: number;
  /** Rows imported before (same file again): left alone. */
  skipped: number;
  dryRun: boolean;
  /** The first rows as they would be imported. */
  preview: PreviewRow[];
  /** Every refused row (up to 100), by line; when there are any, nothing is imported. */
  errors: RowError[];
  errorCount: number;
};

type Resolved = { row: ParsedRow; entry: ImportedEntry };

/**
 * Imports the time entries of a Toggl, Clockify, Harvest or plain CSV export. Projects and tasks
 * are found by name (case-insensitive), people by e-mail (else the importing user). All or nothing:
 * one refused row refuses the file and every error is reported. Rows imported before are skipped,
 * so the same file can be imported twice safely.
 */
export async function importTimeEntries(pool: Pool, organizationId: string, userId: string | null, input: ImportInput): Promise<ImportResult> {
  const dryRun = input.dryRun ?? false;
  const parsed = parseImportFile(input.csv, input.format);
  const { resolved, errors } = await resolveRows(pool, organizationId, userId, parsed.rows);
  errors.push(...parsed.errors);
  const total = parsed.rows.length + parsed.errors.length;
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line || a.column.localeCompare(b.column));
    return { total, imported: 0, skipped: 0, dryRun, preview: [], errors: errors.slice(0, MAX_IMPORT_ERRORS), errorCount: errors.length };
  }
  const existing = await existingImportKeys(pool, organizationId, resolved.map(({ entry }) => entry.importKey));
  const preview = resolved.slice(0, PREVIEW_ROWS).map(({ row, entry }) => ({
    line: row.line, date: row.date, projectName: row.projectName, taskName: row.taskName ?? null, userEmail: row.userEmail ?? null,
    minutes: row.minutes, description: row.description, billable: entry.billable, duplicate: existing.has(entry.importKey),
  }));
  const fresh = resolved.map(({ entry }) => entry).filter((entry) => !existing.has(entry.importKey));
  if (dryRun) return { total, imported: 0, skipped: resolved.length - fresh.length, dryRun, preview, errors: [], errorCount: 0 };

  const imported = await inTransaction(pool, async (tx) => {
    let added = 0;
    input.onProgress?.(0, fresh.length);
    for (let start = 0; start < fresh.length; start += BATCH) {
      const batch = fresh.slice(start, start + BATCH);
      added += await insertImportedEntries(tx, organizationId, batch);
      input.onProgress?.(start + batch.length, fresh.length);
    }
    return added;
  });
  return { total, imported, skipped: resolved.length - imported, dryRun, preview, errors: [], errorCount: 0 };
}

async function resolveRows(db: Queryable, organizationId: string, userId: string | null, rows: ParsedRow[]): Promise<{ resolved: Resolved[]; errors: RowError[] }> {
  const names = [...new Set(rows.map((row) => row.projectName.toLowerCase()))];
  const { projects, tasks } = await projectsNamed(db, organizationId, names);
  const projectsByName = new Map<string, ProjectByName[]>();
  for (const project of projects) projectsByName.set(project.name.toLowerCase(), [...(projectsByName.get(project.name.toLowerCase()) ?? []), project]);
  const tasksByKey = new Map<string, TaskByName>(tasks.map((task) => [`${task.projectId}\u0000${task.name.toLowerCase()}`, task]));
  const users = await usersByEmail(db, organizationId, [...new Set(rows.flatMap((row) => (row.userEmail ? [row.userEmail] : [])))]);

  const resolved: Resolved[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const fail = (column: string, message: string) => errors.push({ line: row.line, column, message });
    const candidates = projectsByName.get(row.projectName.toLowerCase()) ?? [];
    if (candidates.length === 0) { fail('Project', `no project named ${JSON.stringify(row.projectName)}`); continue; }
    if (candidates.length > 1) { fail('Project', `several projects are named ${JSON.stringify(row.projectName)}; rename one`); continue; }
    const project = candidates[0]!;
    if (project.status === 'archived') { fail('Project', `project ${project.name} is archived`); continue; }
    let task: TaskByName | undefined;
    if (row.taskName !== undefined) {
      task = tasksByKey.get(`${project.id}\u0000${row.taskName.toLowerCase()}`);
      if (!task) { fail('Task', `project ${project.name} has no task named ${JSON.stringify(row.taskName)}`); continue; }
      if (task.archived) { fail('Task', `task ${task.name} is archived`); continue; }
    }
    const owner = (row.userEmail && users.get(row.userEmail)) || userId;
    if (!owner) { fail('Email', 'no user has this e-mail address, and the importing API key belongs to no user'); continue; }
    resolved.push({
      row,
      entry: {
        userId: owner, projectId: project.id, taskId: task?.id ?? null, date: row.date, minutes: row.minutes, description: row.description.slice(0, 2000),
        billable: row.billable ?? task?.billable ?? true, approvalState: project.requiresApproval ? 'pending' : 'not_required', importKey: row.importKey,
      },
    });
  }
  return { resolved, errors };
}

/** Whom the CLI imports as: the user with `email`, else the organization's first owner. */
export async function importingUser(db: Queryable, organizationId: string, email?: string): Promise<string> {
  if (email) {
    const id = (await usersByEmail(db, organizationId, [email.toLowerCase()])).get(email.toLowerCase());
    if (!id) throw new DomainError('not_found', 'user_not_found', `No user with the e-mail address ${email} in this organization.`);
    return id;
  }
  const owner = await firstOwner(db, organizationId);
  if (!owner) throw new DomainError('not_found', 'user_not_found', 'This organization has no owner to import as; pass --user EMAIL.');
  return owner;
}
