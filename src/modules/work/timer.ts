import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict } from '../../shared/errors.ts';
import { getOrganization } from '../access/index.ts';
import { findProject } from './project-store.ts';
import { actingUser, activeProjectField, openTaskField } from './references.ts';
import { dateIn, durationMinutes, MAX_MINUTES, type TimeEntry } from './time-entry.ts';
import { findEntry, findTimer, insertEntry, insertTimer, takeTimer, type Timer } from './time-entry-store.ts';

export type TimerInput = { projectId: string; taskId?: string | null; description?: string; billable?: boolean };

// The running timer is the person's own (the request's user): one at a time, and stopping it
// turns it into a time entry from its start to now.

export function getTimer(db: Queryable, organizationId: string, actorUserId: string | null): Promise<Timer | null> {
  return findTimer(db, organizationId, actingUser(actorUserId));
}

async function start(tx: Tx, clock: Clock, organizationId: string, userId: string, input: TimerInput): Promise<Timer> {
  const project = await activeProjectField(tx, organizationId, input.projectId);
  const task = input.taskId ? await openTaskField(tx, organizationId, input.taskId, project.id) : null;
  const timer = {
    userId, projectId: project.id, taskId: task?.id ?? null, description: input.description?.trim() ?? '',
    billable: input.billable ?? task?.billable ?? true, startedAt: clock.now(),
  };
  if (!(await insertTimer(tx, organizationId, timer))) throw conflict('timer_running', 'A timer is already running; stop it or switch to the new work.');
  return { ...timer, startedAt: timer.startedAt.toISOString() };
}

/** The stopped timer as a time entry; null when none was running. */
async function stop(tx: Tx, clock: Clock, organizationId: string, userId: string): Promise<TimeEntry | null> {
  const timer = await takeTimer(tx, organizationId, userId);
  if (!timer) return null;
  const started = new Date(timer.startedAt);
  const ended = clock.now();
  if (ended.getTime() - started.getTime() > MAX_MINUTES * 60_000) {
    throw conflict('timer_too_long', 'The timer ran for more than 24 hours; discard it and enter the time by hand.');
  }
  // The project may have been archived while the timer ran: the time was still worked.
  const project = await findProject(tx, organizationId, timer.projectId);
  const { timeZone } = await getOrganization(tx, organizationId);
  const id = await insertEntry(tx, organizationId, {
    userId, projectId: timer.projectId, taskId: timer.taskId, date: dateIn(started, timeZone), minutes: durationMinutes(started, ended),
    start: started, end: ended, description: timer.description, billable: timer.billable,
    approvalState: project.requiresApproval ? 'pending' : 'not_required',
  });
  return findEntry(tx, organizationId, id);
}

export function startTimer(pool: Pool, clock: Clock, organizationId: string, actorUserId: string | null, input: TimerInput): Promise<Timer> {
  const userId = actingUser(actorUserId);
  return inTransaction(pool, (tx) => start(tx, clock, organizationId, userId, input));
}

export function stopTimer(pool: Pool, clock: Clock, organizationId: string, actorUserId: string | null): Promise<TimeEntry> {
  const userId = actingUser(actorUserId);
  return inTransaction(pool, async (tx) => {
    const entry = await stop(tx, clock, organizationId, userId);
    if (!entry) throw conflict('no_timer_running', 'No timer is running.');
    return entry;
  });
}

/** Stops the running timer (if any) and starts the next one, in one transaction. */
export function switchTimer(pool: Pool, clock: Clock, organizationId: string, actorUserId: string | null, input: TimerInput): Promise<{ stopped: TimeEntry | null; timer: Timer }> {
  const userId = actingUser(actorUserId);
  return inTransaction(pool, async (tx) => {
    const stopped = await stop(tx, clock, organizationId, userId);
    return { stopped, timer: await start(tx, clock, organizationId, userId, input) };
  });
}

/** Throws the running timer away without making an entry. */
export function discardTimer(pool: Pool, organizationId: string, actorUserId: string | null): Promise<void> {
  const userId = actingUser(actorUserId);
  return inTransaction(pool, async (tx) => {
    if (!(await takeTimer(tx, organizationId, userId))) throw conflict('no_timer_running', 'No timer is running.');
  });
}
