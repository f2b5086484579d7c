import { assert } from '../../shared/errors.ts';

/**
 * Which hourly rate applies to a piece of work: the most specific rule wins.
 *
 *   task > user on project > project > user > organization default
 *
 * A rule names a task, or any of user and project (none = the organization's default). Rules are
 * per currency and only a rule in the invoice's currency applies. Pure: the store loads the rules.
 */
export type RateScope = 'task' | 'user_on_project' | 'project' | 'user' | 'organization';

/** Most specific first. */
export const RATE_SCOPES: readonly RateScope[] = ['task', 'user_on_project', 'project', 'user', 'organization'];

export type RateRule = {
  id: string;
  userId: string | null;
  projectId: string | null;
  taskId: string | null;
  rate: string;
  currency: string;
};

export type RateQuery = { userId: string; projectId: string; taskId: string | null; currency: string };

export type ResolvedRate = { rule: RateRule; scope: RateScope };

export function scopeOf(rule: Pick<RateRule, 'userId' | 'projectId' | 'taskId'>): RateScope {
  if (rule.taskId !== null) return 'task';
  if (rule.userId !== null) return rule.projectId !== null ? 'user_on_project' : 'user';
  return rule.projectId !== null ? 'project' : 'organization';
}

function applies(rule: RateRule, query: RateQuery): boolean {
  if (rule.currency !== query.currency) return false;
  if (rule.taskId !== null) return rule.taskId === query.taskId;
  return (rule.userId === null || rule.userId === query.userId) && (rule.projectId === null || rule.projectId === query.projectId);
}

/** The rule that prices this work, or null when no rule in its currency applies. */
export function resolveRate(rules: readonly RateRule[], query: RateQuery): ResolvedRate | null {
  let best: { rule: RateRule; rank: number } | null = null;
  for (const rule of rules) {
    if (!applies(rule, query)) continue;
    const rank = RATE_SCOPES.indexOf(scopeOf(rule));
    // The unique index allows one rule per scope and currency, so two applicable rules never tie.
    assert(best === null || rank !== best.rank, `two ${RATE_SCOPES[rank]} rules apply: ${best?.rule.id}, ${rule.id}`);
    if (best === null || rank < best.rank) best = { rule, rank };
  }
  return best && { rule: best.rule, scope: RATE_SCOPES[best.rank]! };
}
