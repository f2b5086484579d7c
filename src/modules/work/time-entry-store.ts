import { named, type Queryable, type Tx } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import type { ApprovalState, TimeEntry } from './time-entry.ts';

/**
 * The line that bills a row of `alias`, if its invoice is not void: billed-ness is derived, so
 * voiding an invoice releases its work without touching it. Used by time entries and expenses.
 */
export const billedBy = (alias: string) => `
  left join lateral (
    select l.id as line_id, l.invoice_id from invoice_lines l join invoices i on i.id = l.invoice_id
    where l.id = ${alias}.invoice_line_id and i.state <> 'void'
  ) billed on true`;

const ENTRY_SELECT = `select te.*, billed.line_id, billed.invoice_id from time_entries te ${billedBy('te')}`;

function entryFromRow(row: Record<string, any>): TimeEntry {
  return {
    id: row.id, userId: row.user_id, projectId: row.project_id, taskId: row.task_id, date: row.work_date, minutes: row.minutes,
    start: row.started_at?.toISOString() ?? null, end: row.ended_at?.toISOString() ?? null,
    description: row.description, billable: row.billable, approvalState: row.approval_state,
    invoiceLineId: row.line_id, invoiceId: row.invoice_id, locked: row.approval_state === 'approved' || row.line_id !== null,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

export async function findEntry(db: Queryable, organizationId: string, id: string, opts: { lock?: boolean } = {}): Promise<TimeEntry> {
  if (opts.lock) await db.query(`select 1 from time_entries where organization_id = $1 and id = $2 for update`, [organizationId, id]);
  const { rows } = await db.query(`${ENTRY_SELECT} where te.organization_id = $1 and te.id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('time_entry', id);
  return entryFromRow(rows[0]);
}

export type EntryRow = {
  userId: string; projectId: string; taskId: string | null; date: string; minutes: number; start: Date | null; end: Date | null;
  description: string; billable: boolean; approvalState: ApprovalState;
};

export async function insertEntry(tx: Tx, organizationId: string, row: EntryRow): Promise<string> {
  const id = newId('tim');
  await tx.query(
    `insert into time_entries (id, organization_id, user_id, project_id, task_id, work_date, minutes, started_at, ended_at, description,
       billable, approval_state)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, organizationId, row.userId, row.projectId, row.taskId, row.date, row.minutes, row.start, row.end, row.description, row.billable, row.approvalState],
  );
  return id;
}

export async function updateEntryRow(tx: Tx, organizationId: string, id: string, row: Omit<EntryRow, 'userId'>): Promise<void> {
  await tx.query(
    `update time_entries set project_id = $3, task_id = $4, work_date = $5, minutes = $6, started_at = $7, ended_at = $8,
       description = $9, billable = $10, approval_state = $11, updated_at = now()
     where organization_id = $1 and id = $2`,
    [organizationId, id, row.projectId, row.taskId, row.date, row.minutes, row.start, row.end, row.description, row.billable, row.approvalState],
  );
}

export async function deleteEntryRow(tx: Tx, organizationId: string, id: string): Promise<void> {
  await tx.query(`delete from time_entries where organization_id = $1 and id = $2`, [organizationId, id]);
}

export type EntryFilter = {
  userId?: string; projectId?: string; customerId?: string; from?: string; to?: string;
  approvalState?: ApprovalState; billed?: boolean; cursor?: string; limit: number;
};

/** Newest work first: by date, then id. */
export async function listEntryRows(db: Queryable, organizationId: string, filter: EntryFilter): Promise<Page<TimeEntry>> {
  const after = decodeCursor(filter.cursor, 2);
  const { text, values } = named(
    `${ENTRY_SELECT}
     where te.organization_id = $org
       and ($user::text is null or te.user_id = $user) and ($project::text is null or te.project_id = $project)
       and ($customer::text is null or te.project_id in (select id from projects where customer_id = $customer))
       and ($from::date is null or te.work_date >= $from) and ($to::date is null or te.work_date <= $to)
       and ($state::text is null or te.approval_state = $state)
       and ($billed::boolean is null or (billed.line_id is not null) = $billed)
       and ($afterdate::date is null or (te.work_date, te.id) < ($afterdate, $afterid))
     order by te.work_date desc, te.id desc limit $limit`,
    {
      org: organizationId, user: filter.userId ?? null, project: filter.projectId ?? null, customer: filter.customerId ?? null,
      from: filter.from ?? null, to: filter.to ?? null, state: filter.approvalState ?? null, billed: filter.billed ?? null,
      afterdate: after?.[0] ?? null, afterid: after?.[1] ?? null, limit: filter.limit + 1,
    },
  );
  const { rows } = await db.query(text, values);
  return pageOf(rows.map(entryFromRow), filter.limit, (entry) => [entry.date, entry.id]);
}

export type WeekRow = { projectId: string; projectName: string; taskId: string | null; taskName: string | null; date: string; minutes: number };

/** One person's minutes per project, task and day between two dates. */
export async function minutesByDay(db: Queryable, organizationId: string, userId: string, from: string, to: string): Promise<WeekRow[]> {
  const { rows } = await db.query(
    `select te.project_id, p.name as project_name, te.task_id, t.name as task_name, te.work_date, sum(te.minutes)::int as minutes
     from time_entries te join projects p on p.id = te.project_id left join tasks t on t.id = te.task_id
     where te.organization_id = $1 and te.user_id = $2 and te.work_date between $3 and $4
     group by te.project_id, p.name, te.task_id, t.name, te.work_date
     order by lower(p.name), te.project_id, t.name nulls first, te.task_id, te.work_date`,
    [organizationId, userId, from, to],
  );
  return rows.map((row) => ({
    projectId: row.project_id, projectName: row.project_name, taskId: row.task_id, taskName: row.task_name, date: row.work_date, minutes: row.minutes,
  }));
}

// ---------------------------------------------------------------------------------------------
// The running timer

export type Timer = { userId: string; projectId: string; taskId: string | null; description: string; billable: boolean; startedAt: string };

function timerFromRow(row: Record<string, any>): Timer {
  return {
    userId: row.user_id, projectId: row.project_id, taskId: row.task_id, description: row.description, billable: row.billable,
    startedAt: row.started_at.toISOString(),
  };
}

export async function findTimer(db: Queryable, organizationId: string, userId: string): Promise<Timer | null> {
  const { rows } = await db.query(`select * from timers where organization_id = $1 and user_id = $2`, [organizationId, userId]);
  return rows[0] ? timerFromRow(rows[0]) : null;
}

/** False when the person already has a timer running (the primary key allows one). */
export async function insertTimer(tx: Tx, organizationId: string, timer: Omit<Timer, 'startedAt'> & { startedAt: Date }): Promise<boolean> {
  const { rowCount } = await tx.query(
    `insert into timers (user_id, organization_id, project_id, task_id, description, billable, started_at)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (user_id) do nothing`,
    [timer.userId, organizationId, timer.projectId, timer.taskId, timer.description, timer.billable, timer.startedAt],
  );
  return rowCount === 1;
}

/** Takes the timer away atomically: of two concurrent stops, one gets it. */
export async function takeTimer(tx: Tx, organizationId: string, userId: string): Promise<Timer | null> {
  const { rows } = await tx.query(`delete from timers where organization_id = $1 and user_id = $2 returning *`, [organizationId, userId]);
  return rows[0] ? timerFromRow(rows[0]) : null;
}

// ---------------------------------------------------------------------------------------------
// Approvals

export type PendingWeek = { userId: string; weekStart: string; entryCount: number; minutes: number };

export async function pendingWeekRows(db: Queryable, organizationId: string, userId: string | null): Promise<PendingWeek[]> {
  const { rows } = await db.query(
    `select user_id, date_trunc('week', work_date)::date as week_start, count(*)::int as entry_count, sum(minutes)::int as minutes
     from time_entries where organization_id = $1 and approval_state = 'pending' and ($2::text is null or user_id = $2)
     group by user_id, week_start order by week_start, user_id`,
    [organizationId, userId],
  );
  return rows.map((row) => ({ userId: row.user_id, weekStart: row.week_start, entryCount: row.entry_count, minutes: row.minutes }));
}

/** Locks and returns the ids of a person's pending entries in a week. */
export async function lockPendingWeek(tx: Tx, organizationId: string, userId: string, weekStart: string, weekEnd: string): Promise<string[]> {
  const { rows } = await tx.query(
    `select id from time_entries
     where organization_id = $1 and user_id = $2 and work_date between $3 and $4 and approval_state = 'pending'
     order by id for update`,
    [organizationId, userId, weekStart, weekEnd],
  );
  return rows.map((row) => row.id);
}

export type ApprovalDecision = {
  id: string; userId: string; weekStart: string; decision: 'approved' | 'rejected'; approverId: string | null;
  comment: string | null; entryCount: number; decidedAt: string;
};

function decisionFromRow(row: Record<string, any>): ApprovalDecision {
  return {
    id: row.id, userId: row.user_id, weekStart: row.week_start, decision: row.decision, approverId: row.approver_id,
    comment: row.comment, entryCount: row.entry_count, decidedAt: row.decided_at.toISOString(),
  };
}

export async function insertDecision(tx: Tx, organizationId: string, decision: Omit<ApprovalDecision, 'id'>, entryIds: string[]): Promise<ApprovalDecision> {
  const id = newId('apd');
  const { rows } = await tx.query(
    `insert into approval_decisions (id, organization_id, user_id, week_start, decision, approver_id, comment, entry_count, decided_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
    [id, organizationId, decision.userId, decision.weekStart, decision.decision, decision.approverId, decision.comment, decision.entryCount, decision.decidedAt],
  );
  await tx.query(
    `update time_entries set approval_state = $3, approval_decision_id = $4, updated_at = now() where organization_id = $1 and id = any($2::text[])`,
    [organizationId, entryIds, decision.decision, id],
  );
  return decisionFromRow(rows[0]);
}

export async function listDecisionRows(db: Queryable, organizationId: string, filter: { userId?: string; weekStart?: string }): Promise<ApprovalDecision[]> {
  const { rows } = await db.query(
    `select * from approval_decisions where organization_id = $1 and ($2::text is null or user_id = $2) and ($3::date is null or week_start = $3)
     order by decided_at desc, id desc limit 200`,
    [organizationId, filter.userId ?? null, filter.weekStart ?? null],
  );
  return rows.map(decisionFromRow);
}
