import { addDays, parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import type { Page } from '../../shared/pagination.ts';
import { getOrganization } from '../access/index.ts';
import { todayFor } from '../invoicing/index.ts';
import type { Project } from './project.ts';
import { actingUser, activeProjectField, openTaskField, projectField, userField } from './references.ts';
import {
  checkMinutes, dateIn, timedSpan, weekStartOf, type ApprovalState, type TimeEntry, type TimeEntryChanges, type TimeEntryInput,
} from './time-entry.ts';
import {
  deleteEntryRow, findEntry, insertEntry, listEntryRows, minutesByDay, updateEntryRow, type EntryFilter,
} from './time-entry-store.ts';

type Span = { date: string; minutes: number; start: Date | null; end: Date | null };

/** `minutes` on a date, or `start` and `end` (the date then defaults to the start's, in the organization's time zone). */
async function spanOf(tx: Tx, organizationId: string, input: Pick<TimeEntryInput, 'date' | 'minutes' | 'start' | 'end'>): Promise<Span> {
  const timed = input.start !== undefined || input.end !== undefined;
  if (input.minutes !== undefined && timed) throw invalid('minutes', 'give minutes, or start and end, not both');
  if (input.minutes !== undefined) {
    if (input.date === undefined) throw invalid('date', 'is required with minutes');
    return { date: parseIsoDate(input.date, 'date'), minutes: checkMinutes(input.minutes), start: null, end: null };
  }
  if (!timed) throw invalid('minutes', 'give minutes, or start and end');
  if (input.start === undefined || input.end === undefined) throw invalid(input.start === undefined ? 'start' : 'end', 'is required with the other');
  const { start, end, minutes } = timedSpan(input.start, input.end);
  const date = input.date === undefined ? dateIn(start, (await getOrganization(tx, organizationId)).timeZone) : parseIsoDate(input.date, 'date');
  return { date, minutes, start, end };
}

const initialApproval = (project: Project): ApprovalState => (project.requiresApproval ? 'pending' : 'not_required');

function assertEditable(entry: TimeEntry, action: string): void {
  if (entry.invoiceId) throw conflict('time_entry_locked', `This time entry is billed on an invoice and cannot be ${action}.`);
  if (entry.approvalState === 'approved') throw conflict('time_entry_locked', `This time entry is approved and cannot be ${action}.`);
}

export async function createTimeEntry(pool: Pool, organizationId: string, actorUserId: string | null, input: TimeEntryInput): Promise<TimeEntry> {
  return inTransaction(pool, async (tx) => {
    const userId = input.userId === undefined ? actingUser(actorUserId) : await userField(tx, organizationId, input.userId);
    const project = await activeProjectField(tx, organizationId, input.projectId);
    const task = input.taskId ? await openTaskField(tx, organizationId, input.taskId, project.id) : null;
    const span = await spanOf(tx, organizationId, input);
    const id = await insertEntry(tx, organizationId, {
      userId, projectId: project.id, taskId: task?.id ?? null, ...span, description: input.description?.trim() ?? '',
      billable: input.billable ?? task?.billable ?? true, approvalState: initialApproval(project),
    });
    return findEntry(tx, organizationId, id);
  });
}

/**
 * Changes an entry that is neither approved nor billed. A rejected entry that is changed goes back
 * to pending; moved to another project it takes that project's approval rule (and loses its task
 * unless a task of the new project is given).
 */
export async function updateTimeEntry(pool: Pool, organizationId: string, id: string, changes: TimeEntryChanges): Promise<TimeEntry> {
  return inTransaction(pool, async (tx) => {
    const current = await findEntry(tx, organizationId, id, { lock: true });
    assertEditable(current, 'changed');
    const moved = changes.projectId !== undefined && changes.projectId !== current.projectId;
    // Work may still be corrected on an archived project; it may not be moved into one.
    const project = moved ? await activeProjectField(tx, organizationId, changes.projectId!) : await projectField(tx, organizationId, current.projectId);
    const taskId = changes.taskId !== undefined ? changes.taskId : moved ? null : current.taskId;
    if (taskId && taskId !== current.taskId) await openTaskField(tx, organizationId, taskId, project.id);
    const retimed = changes.minutes !== undefined || changes.start !== undefined || changes.end !== undefined;
    const span: Span = retimed
      // New minutes keep the date; a new start and end date the entry by its start unless a date is given.
      ? await spanOf(tx, organizationId, { date: changes.date ?? (changes.minutes !== undefined ? current.date : undefined), ...pick(changes, 'minutes', 'start', 'end') })
      : {
          date: changes.date === undefined ? current.date : parseIsoDate(changes.date, 'date'), minutes: current.minutes,
          start: current.start ? new Date(current.start) : null, end: current.end ? new Date(current.end) : null,
        };
    const approvalState = moved ? initialApproval(project) : current.approvalState === 'rejected' ? 'pending' : current.approvalState;
    await updateEntryRow(tx, organizationId, id, {
      projectId: project.id, taskId, ...span, description: changes.description?.trim() ?? current.description,
      billable: changes.billable ?? current.billable, approvalState,
    });
    return findEntry(tx, organizationId, id);
  });
}

function pick<T extends object, K extends keyof T>(object: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])) as Pick<T, K>;
}

export async function deleteTimeEntry(pool: Pool, organizationId: string, id: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    assertEditable(await findEntry(tx, organizationId, id, { lock: true }), 'deleted');
    await deleteEntryRow(tx, organizationId, id);
  });
}

export function getTimeEntry(db: Queryable, organizationId: string, id: string): Promise<TimeEntry> {
  return findEntry(db, organizationId, id);
}

export function listTimeEntries(db: Queryable, organizationId: string, filter: EntryFilter): Promise<Page<TimeEntry>> {
  return listEntryRows(db, organizationId, filter);
}

export type WeekView = {
  userId: string;
  weekStart: string;
  weekEnd: string;
  days: Array<{ date: string; minutes: number }>;
  rows: Array<{ projectId: string; projectName: string; taskId: string | null; taskName: string | null; minutes: number[]; totalMinutes: number }>;
  totalMinutes: number;
};

/** One person's week, Monday to Sunday: minutes per project and task per day, and the totals. */
export async function weekView(db: Queryable, clock: Clock, organizationId: string, actorUserId: string | null, query: { userId?: string; date?: string }): Promise<WeekView> {
  const userId = query.userId === undefined ? actingUser(actorUserId) : await userField(db, organizationId, query.userId);
  const weekStart = weekStartOf(query.date === undefined ? await todayFor(db, organizationId, clock) : parseIsoDate(query.date, 'date'));
  const dates = Array.from({ length: 7 }, (_, index) => addDays(weekStart, index));
  const rows: WeekView['rows'] = [];
  for (const cell of await minutesByDay(db, organizationId, userId, dates[0]!, dates[6]!)) {
    let row = rows.at(-1);
    if (!row || row.projectId !== cell.projectId || row.taskId !== cell.taskId) {
      row = { projectId: cell.projectId, projectName: cell.projectName, taskId: cell.taskId, taskName: cell.taskName, minutes: dates.map(() => 0), totalMinutes: 0 };
      rows.push(row);
    }
    row.minutes[dates.indexOf(cell.date)] = cell.minutes;
    row.totalMinutes += cell.minutes;
  }
  const days = dates.map((date, index) => ({ date, minutes: rows.reduce((sum, row) => sum + row.minutes[index]!, 0) }));
  return { userId, weekStart, weekEnd: dates[6]!, days, rows, totalMinutes: days.reduce((sum, day) => sum + day.minutes, 0) };
}
