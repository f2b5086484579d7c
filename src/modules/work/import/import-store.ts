import type { Queryable, Tx } from '../../../shared/db.ts';
import { newId } from '../../../shared/ids.ts';
import type { ApprovalState } from '../time-entry.ts';

export type ProjectByName = { id: string; name: string; status: string; requiresApproval: boolean };
export type TaskByName = { id: string; projectId: string; name: string; billable: boolean; archived: boolean };

/** Projects and their tasks whose names (lower-cased) are among `names`. */
export async function projectsNamed(db: Queryable, organizationId: string, names: string[]): Promise<{ projects: ProjectByName[]; tasks: TaskByName[] }> {
  const { rows } = await db.query(
    `select id, name, status, requires_approval from projects where organization_id = $1 and lower(name) = any($2::text[])`,
    [organizationId, names],
  );
  const projects = rows.map((row) => ({ id: row.id, name: row.name, status: row.status, requiresApproval: row.requires_approval }));
  const { rows: taskRows } = await db.query(
    `select id, project_id, name, billable, archived_at from tasks where organization_id = $1 and project_id = any($2::text[])`,
    [organizationId, projects.map((project) => project.id)],
  );
  const tasks = taskRows.map((row) => ({ id: row.id, projectId: row.project_id, name: row.name, billable: row.billable, archived: row.archived_at !== null }));
  return { projects, tasks };
}

/** The ids of the organization's users by lower-cased e-mail address. */
export async function usersByEmail(db: Queryable, organizationId: string, emails: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query(`select id, lower(email) as email from users where organization_id = $1 and lower(email) = any($2::text[])`, [organizationId, emails]);
  return new Map(rows.map((row) => [row.email, row.id]));
}

/** The organization's first owner: whom the CLI imports as when no --user is given. */
export async function firstOwner(db: Queryable, organizationId: string): Promise<string | null> {
  const { rows } = await db.query(`select id from users where organization_id = $1 and role = 'owner' order by created_at, id limit 1`, [organizationId]);
  return rows[0]?.id ?? null;
}

export async function existingImportKeys(db: Queryable, organizationId: string, keys: string[]): Promise<Set<string>> {
  const { rows } = await db.query(`select import_key from time_entries where organization_id = $1 and import_key = any($2::text[])`, [organizationId, keys]);
  return new Set(rows.map((row) => row.import_key));
}

export type ImportedEntry = {
  userId: string; projectId: string; taskId: string | null; date: string; minutes: number; description: string; billable: boolean;
  approvalState: ApprovalState; importKey: string;
};

/** One batch in one statement; a key already imported (by a concurrent import too) is skipped. Returns how many were added. */
export async function insertImportedEntries(tx: Tx, organizationId: string, entries: ImportedEntry[]): Promise<number> {
  const { rowCount } = await tx.query(
    `insert into time_entries (id, organization_id, user_id, project_id, task_id, work_date, minutes, description, billable, approval_state, import_key)
     select id, $1, user_id, project_id, task_id, work_date, minutes, description, billable, approval_state, import_key
     from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[], $8::text[], $9::boolean[], $10::text[], $11::text[])
       as t(id, user_id, project_id, task_id, work_date, minutes, description, billable, approval_state, import_key)
     on conflict (organization_id, import_key) where import_key is not null do nothing`,
    [
      organizationId, entries.map(() => newId('tim')), entries.map((e) => e.userId), entries.map((e) => e.projectId), entries.map((e) => e.taskId),
      entries.map((e) => e.date), entries.map((e) => e.minutes), entries.map((e) => e.description), entries.map((e) => e.billable),
      entries.map((e) => e.approvalState), entries.map((e) => e.importKey),
    ],
  );
  return rowCount ?? 0;
}
