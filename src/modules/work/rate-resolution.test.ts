import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RATE_SCOPES, resolveRate, scopeOf, type RateQuery, type RateRule, type RateScope } from './rate-resolution.ts';

const QUERY: RateQuery = { userId: 'usr_ann', projectId: 'prj_web', taskId: 'tsk_design', currency: 'EUR' };

/** The rule of each scope that applies to QUERY, priced so that the winner is recognizable. */
const APPLICABLE: Record<RateScope, RateRule> = {
  task: { id: 'rat_task', userId: null, projectId: null, taskId: 'tsk_design', rate: '150', currency: 'EUR' },
  user_on_project: { id: 'rat_uop', userId: 'usr_ann', projectId: 'prj_web', taskId: null, rate: '140', currency: 'EUR' },
  project: { id: 'rat_project', userId: null, projectId: 'prj_web', taskId: null, rate: '130', currency: 'EUR' },
  user: { id: 'rat_user', userId: 'usr_ann', projectId: null, taskId: null, rate: '120', currency: 'EUR' },
  organization: { id: 'rat_org', userId: null, projectId: null, taskId: null, rate: '100', currency: 'EUR' },
};

/** Rules that never apply to QUERY: another task, user, project, or currency. */
const DISTRACTORS: RateRule[] = [
  { id: 'rat_other_task', userId: null, projectId: null, taskId: 'tsk_other', rate: '999', currency: 'EUR' },
  { id: 'rat_other_user_on_project', userId: 'usr_bob', projectId: 'prj_web', taskId: null, rate: '999', currency: 'EUR' },
  { id: 'rat_user_on_other_project', userId: 'usr_ann', projectId: 'prj_other', taskId: null, rate: '999', currency: 'EUR' },
  { id: 'rat_other_project', userId: null, projectId: 'prj_other', taskId: null, rate: '999', currency: 'EUR' },
  { id: 'rat_other_user', userId: 'usr_bob', projectId: null, taskId: null, rate: '999', currency: 'EUR' },
  { id: 'rat_org_usd', userId: null, projectId: null, taskId: null, rate: '999', currency: 'USD' },
  { id: 'rat_task_usd', userId: null, projectId: null, taskId: 'tsk_design', rate: '999', currency: 'USD' },
];

test('a rule\'s scope follows from what it names', () => {
  for (const [scope, rule] of Object.entries(APPLICABLE)) assert.equal(scopeOf(rule), scope);
});

test('exhaustively: for every set of applicable scopes, the most specific wins, whatever else exists', () => {
  for (let mask = 0; mask < 1 << RATE_SCOPES.length; mask++) {
    const present = RATE_SCOPES.filter((_, index) => mask & (1 << index));
    const expected = present[0] ?? null; // RATE_SCOPES is most specific first
    for (const order of [1, -1]) { // the order rules arrive in does not matter
      const rules = [...present.map((scope) => APPLICABLE[scope]), ...DISTRACTORS];
      if (order < 0) rules.reverse();
      const resolved = resolveRate(rules, QUERY);
      assert.equal(resolved?.scope ?? null, expected, `present: ${present.join(', ') || 'none'}`);
      assert.equal(resolved?.rule.id ?? null, expected && APPLICABLE[expected].id);
    }
  }
});

test('table: who gets which rate', () => {
  const rules = Object.values(APPLICABLE).filter((rule) => rule.id !== 'rat_task');
  const cases: Array<[query: Partial<RateQuery>, ruleId: string | null]> = [
    [{}, 'rat_uop'], // no rule for this task: Ann on the project
    [{ taskId: null }, 'rat_uop'],
    [{ userId: 'usr_bob' }, 'rat_project'], // Bob has no rate of his own on the project
    [{ projectId: 'prj_other' }, 'rat_user'], // Ann elsewhere: her own rate
    [{ userId: 'usr_bob', projectId: 'prj_other' }, 'rat_org'],
    [{ currency: 'USD' }, null], // nothing in dollars
  ];
  for (const [change, ruleId] of cases) {
    assert.equal(resolveRate(rules, { ...QUERY, ...change })?.rule.id ?? null, ruleId, JSON.stringify(change));
  }
  assert.equal(resolveRate([...rules, APPLICABLE.task], { ...QUERY, userId: 'usr_bob', projectId: 'prj_web' })?.rule.id, 'rat_task');
});

test('two rules of one scope that both apply are a bug (the unique index prevents them)', () => {
  const twin = { ...APPLICABLE.project, id: 'rat_project_twin' };
  assert.throws(() => resolveRate([APPLICABLE.project, twin], QUERY), /two project rules apply/);
});
