import { addDays, parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable } from '../../shared/db.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import { roleOf } from '../access/index.ts';
import { userField } from './references.ts';
import { isMonday } from './time-entry.ts';
import {
  insertDecision, listDecisionRows, lockPendingWeek, pendingWeekRows, type ApprovalDecision, type PendingWeek,
} from './time-entry-store.ts';

// Projects that require approval put new time in `pending`. Someone else (an owner or admin)
// approves or rejects a person's week: approved entries are locked, rejected ones are editable
// again and go back to pending when changed.

export type Decision = { userId: string; weekStart: string; decision: 'approved' | 'rejected'; comment?: string | null };

export async function listPendingWeeks(db: Queryable, organizationId: string, filter: { userId?: string }): Promise<Array<PendingWeek & { weekEnd: string }>> {
  const weeks = await pendingWeekRows(db, organizationId, filter.userId ?? null);
  return weeks.map((week) => ({ ...week, weekEnd: addDays(week.weekStart, 6) }));
}

async function assertMayDecide(db: Queryable, organizationId: string, approverId: string | null, userId: string): Promise<void> {
  if (approverId === null) return; // an API key of no one acts for the organization, as an admin
  const role = await roleOf(db, organizationId, approverId);
  if (role !== 'owner' && role !== 'admin') throw new DomainError('forbidden', 'forbidden', 'Only owners and admins approve time.');
  if (approverId === userId) throw new DomainError('forbidden', 'own_time', 'Time is approved by someone else than the person who worked it.');
}

export async function decideWeek(pool: Pool, clock: Clock, organizationId: string, approverId: string | null, input: Decision): Promise<ApprovalDecision> {
  return inTransaction(pool, async (tx) => {
    const userId = await userField(tx, organizationId, input.userId);
    const weekStart = parseIsoDate(input.weekStart, 'weekStart');
    if (!isMonday(weekStart)) throw invalid('weekStart', 'must be a Monday');
    const comment = input.comment?.trim() || null;
    if (input.decision === 'rejected' && !comment) throw invalid('comment', 'is required to reject: say what to change');
    await assertMayDecide(tx, organizationId, approverId, userId);
    const entryIds = await lockPendingWeek(tx, organizationId, userId, weekStart, addDays(weekStart, 6));
    if (entryIds.length === 0) throw invalid('weekStart', 'this person has no time awaiting approval in that week', 'nothing_to_approve');
    return insertDecision(tx, organizationId, {
      userId, weekStart, decision: input.decision, approverId, comment, entryCount: entryIds.length, decidedAt: clock.now().toISOString(),
    }, entryIds);
  });
}

export function listApprovalDecisions(db: Queryable, organizationId: string, filter: { userId?: string; weekStart?: string }): Promise<ApprovalDecision[]> {
  return listDecisionRows(db, organizationId, filter);
}
