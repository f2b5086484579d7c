import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimal } from '../../shared/decimal.ts';
import { planInvoice, type GroupBy, type PlanExpense, type PlanProject, type PlanTime } from './billing-plan.ts';
import { amountForMinutes, roundUpMinutes } from './time-rounding.ts';

const PROJECTS = new Map<string, PlanProject>([
  ['prj_a', { id: 'prj_a', name: 'Alpha', roundingMinutes: 15, taxRateIds: ['txr_vat19'] }],
  ['prj_b', { id: 'prj_b', name: 'Beta', roundingMinutes: 1, taxRateIds: [] }],
]);

const entry = fc.record({
  projectId: fc.constantFrom('prj_a', 'prj_b'),
  taskId: fc.constantFrom(null, 'tsk_1', 'tsk_2'),
  minutes: fc.integer({ min: 1, max: 600 }),
  day: fc.integer({ min: 1, max: 28 }),
  rate: fc.constantFrom('90', '100', '133.33', '150', '0.5', null),
});

type Entry = { projectId: string; taskId: string | null; minutes: number; day: number; rate: string | null };

function asTime(list: Entry[]): PlanTime[] {
  return list.map((e, index) => ({
    id: `tim_${String(index).padStart(3, '0')}`, projectId: e.projectId, taskId: e.taskId, taskName: e.taskId && `Task ${e.taskId}`,
    userId: 'usr_1', date: `2026-03-${String(e.day).padStart(2, '0')}`, minutes: e.minutes, rate: e.rate,
  }));
}

test('property: every priced entry is on exactly one line, lines bill their minutes once, shares add up to the lines', () => {
  fc.assert(fc.property(fc.array(entry, { maxLength: 40 }), fc.constantFrom<GroupBy>('task', 'project', 'customer'), (list, groupBy) => {
    const time = asTime(list);
    const plan = planInvoice({ currency: 'EUR', rounding: 'half_up', groupBy, projects: PROJECTS, time, expenses: [] });
    const priced = time.filter((e) => e.rate !== null);
    assert.deepEqual(plan.unpriced, time.filter((e) => e.rate === null).map((e) => e.id));
    assert.deepEqual(plan.lines.flatMap((line) => line.timeEntryIds).sort(), priced.map((e) => e.id).sort());
    for (const line of plan.lines) {
      const members = priced.filter((e) => line.timeEntryIds.includes(e.id));
      assert.equal(new Set(members.map((e) => decimal(e.rate!).units * 10n ** BigInt(6 - decimal(e.rate!).scale))).size, 1, 'one rate per line');
      for (const member of members) assert.deepEqual(line.taxRateIds, PROJECTS.get(member.projectId)!.taxRateIds, 'taxed as its project says');
      const minutes = members.reduce((sum, e) => sum + roundUpMinutes(e.minutes, PROJECTS.get(e.projectId)!.roundingMinutes), 0);
      assert.equal(line.amountMinor, amountForMinutes(minutes, decimal(members[0]!.rate!), 'EUR', 'half_up'));
      assert.equal(members.reduce((sum, e) => sum + plan.time.get(e.id)!.amountMinor!, 0n), line.amountMinor, 'shares add up to the line');
      assert.deepEqual([line.serviceStart, line.serviceEnd], [members.map((e) => e.date).sort()[0], members.map((e) => e.date).sort().at(-1)]);
    }
  }), { numRuns: 500 });
});

test('rounding applies per entry, by its project; the line is rounded once', () => {
  const time = asTime([
    { projectId: 'prj_a', taskId: null, minutes: 7, day: 2, rate: '100' }, // 15 minutes billed
    { projectId: 'prj_a', taskId: null, minutes: 16, day: 3, rate: '100' }, // 30
    { projectId: 'prj_b', taskId: null, minutes: 20, day: 2, rate: '100' }, // 20
    { projectId: 'prj_b', taskId: null, minutes: 20, day: 3, rate: '100' }, // 20
    { projectId: 'prj_b', taskId: null, minutes: 20, day: 4, rate: '100' }, // 20
  ]);
  const plan = planInvoice({ currency: 'EUR', rounding: 'half_up', groupBy: 'task', projects: PROJECTS, time, expenses: [] });
  assert.deepEqual(plan.lines.map((l) => [l.description, l.quantity, l.amountMinor]), [
    ['Alpha · General: 2026-03-02, 2026-03-03', '0.75', 7500n],
    ['Beta · General: 2026-03-02, 2026-03-03, 2026-03-04', '1', 10000n],
  ]);
  assert.deepEqual([...plan.time.values()].map((t) => [t.billedMinutes, t.amountMinor]), [[15, 2500n], [30, 5000n], [20, 3334n], [20, 3333n], [20, 3333n]]);
});

test('expenses: one line each, amount plus markup, after the time', () => {
  const expenses: PlanExpense[] = [
    { id: 'exp_2', projectId: 'prj_b', date: '2026-03-05', amountMinor: 1999n, category: 'Taxi', description: '', markupPercent: '7.5' },
    { id: 'exp_1', projectId: 'prj_a', date: '2026-03-01', amountMinor: 8000n, category: 'Hotel', description: 'Lyon', markupPercent: '0' },
  ];
  const time = asTime([{ projectId: 'prj_b', taskId: 'tsk_1', minutes: 60, day: 9, rate: '80' }]);
  const plan = planInvoice({ currency: 'EUR', rounding: 'half_up', groupBy: 'task', projects: PROJECTS, time, expenses });
  assert.deepEqual(plan.lines.map((l) => [l.description, l.quantity, l.unit, l.unitPrice, l.amountMinor, l.expenseIds]), [
    ['Beta · Task tsk_1: 2026-03-09', '1', 'hour', '80', 8000n, []],
    ['Alpha · Hotel: Lyon (2026-03-01)', '1', null, '80', 8000n, ['exp_1']],
    ['Beta · Taxi (2026-03-05, incl. 7.5% markup)', '1', null, '21.49', 2149n, ['exp_2']], // 21.48925
  ]);
  assert.deepEqual([...plan.expenses.entries()], [['exp_1', 8000n], ['exp_2', 2149n]]);
});

test('a long run of dates is written as a range', () => {
  const time = asTime(Array.from({ length: 12 }, (_, index) => ({ projectId: 'prj_b', taskId: null, minutes: 60, day: index + 1, rate: '100' })));
  const [line] = planInvoice({ currency: 'EUR', rounding: 'half_up', groupBy: 'project', projects: PROJECTS, time, expenses: [] }).lines;
  assert.equal(line!.description, 'Beta: 2026-03-01 to 2026-03-12 (12 days)');
});

test('grouped by customer, work of projects taxed differently stays on separate lines', () => {
  const time = asTime([
    { projectId: 'prj_a', taskId: null, minutes: 60, day: 2, rate: '100' },
    { projectId: 'prj_b', taskId: null, minutes: 60, day: 3, rate: '100' },
  ]);
  const plan = planInvoice({ currency: 'EUR', rounding: 'half_up', groupBy: 'customer', projects: PROJECTS, time, expenses: [] });
  assert.deepEqual(plan.lines.map((l) => [l.description, l.taxRateIds]), [['Alpha: 2026-03-02', ['txr_vat19']], ['Beta: 2026-03-03', []]]);
});
