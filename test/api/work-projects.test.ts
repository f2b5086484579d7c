/**
 * Projects (hourly, fixed, retainer billing, budgets, rounding, approval), tasks and rate rules.
 * The stored `billing` (billing_model + jsonb) is what contracts read for fixed and retainer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { createCustomer, expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, createProject } from '../helpers/work.ts';

const api = await createTestApi('2026-03-10T10:00:00Z');

async function stored(projectId: string) {
  const { rows } = await api.db.pool.query(
    `select billing_model, billing, rounding_minutes, requires_approval, budget_hours::text, budget_amount_minor from projects where id = $1`, [projectId],
  );
  return rows[0];
}

async function projectRules(projectId: string) {
  const { rows } = await api.db.pool.query(`select user_id, task_id, rate::text, currency from rate_rules where project_id = $1 order by user_id nulls first`, [projectId]);
  return rows.map((row) => [row.user_id, row.rate, row.currency]);
}

test('an hourly project: its rate is its project rule, in the customer\'s currency', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { currency: 'USD' });
  const project = await createProject(firm, customer.id, {
    name: '  Website  ', code: 'WEB', billing: { model: 'hourly', rate: '120.50' }, roundingMinutes: 15, requiresApproval: true, budget: { hours: '40' },
  });
  assert.deepEqual(
    [project.name, project.code, project.status, project.currency, project.billing, project.budget, project.roundingMinutes, project.requiresApproval],
    ['Website', 'WEB', 'active', 'USD', { model: 'hourly', rate: '120.5' }, { hours: '40', amount: null }, 15, true],
  );
  assert.deepEqual(await stored(project.id), {
    billing_model: 'hourly', billing: { model: 'hourly' }, rounding_minutes: 15, requires_approval: true, budget_hours: '40.00', budget_amount_minor: null,
  });
  assert.deepEqual(await projectRules(project.id), [[null, '120.500000', 'USD']]);
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/projects/${project.id}`), 200), project);
});

test('fixed and retainer terms are checked per model and stored whole, for contracts to read', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const fixed = await createProject(firm, customer.id, { name: 'Relaunch', billing: { model: 'fixed', amount: '12000' }, budget: { amount: '9000.5' } });
  assert.deepEqual(fixed.billing, { model: 'fixed', currency: 'EUR', amount: '12000.00' });
  assert.deepEqual(fixed.budget, { hours: null, amount: '9000.50' });
  assert.deepEqual((await stored(fixed.id)).billing, { model: 'fixed', currency: 'EUR', amount: '12000.00' });
  assert.equal((await stored(fixed.id)).budget_amount_minor, '900050');

  const retainer = await createProject(firm, customer.id, {
    name: 'Care plan', billing: { model: 'retainer', fee: '2000', interval: 'month', includedHours: '20', overageRate: '110', rollover: 'capped', rolloverMaxHours: '10' },
  });
  const terms = {
    model: 'retainer', currency: 'EUR', fee: '2000.00', interval: 'month', includedHours: '20', overageRate: '110',
    rollover: 'capped', rolloverMaxHours: '10', startDate: '2026-03-10', includeUnbilledWork: false,
  };
  assert.deepEqual(retainer.billing, terms);
  assert.deepEqual(await stored(retainer.id), { billing_model: 'retainer', billing: terms, rounding_minutes: 1, requires_approval: false, budget_hours: null, budget_amount_minor: null });
  const simple = await createProject(firm, customer.id, { name: 'Basic', billing: { model: 'retainer', fee: '500', interval: 'quarter', includedHours: '0', startDate: '2026-04-01' } });
  assert.deepEqual(simple.billing, { ...terms, fee: '500.00', interval: 'quarter', includedHours: '0', overageRate: null, rollover: 'none', rolloverMaxHours: null, startDate: '2026-04-01' });

  const refusals: Array<[unknown, number, string]> = [
    [{ model: 'fixed' }, 422, 'billing.amount'],
    [{ model: 'fixed', amount: '0' }, 422, 'billing.amount'],
    [{ model: 'fixed', amount: '10.001' }, 422, 'billing.amount'],
    [{ model: 'fixed', amount: '100', rate: '10' }, 422, 'billing.rate'],
    [{ model: 'hourly', fee: '10' }, 422, 'billing.fee'],
    [{ model: 'hourly', rate: '-1' }, 422, 'billing.rate'],
    [{ model: 'hourly', rate: '1.1234567' }, 422, 'billing.rate'],
    [{ model: 'retainer', fee: '100', includedHours: '5' }, 422, 'billing.interval'],
    [{ model: 'retainer', fee: '100', interval: 'month' }, 422, 'billing.includedHours'],
    [{ model: 'retainer', fee: '100', interval: 'month', includedHours: '5', rollover: 'capped' }, 422, 'billing.rolloverMaxHours'],
    [{ model: 'retainer', fee: '100', interval: 'month', includedHours: '5', rolloverMaxHours: '3' }, 422, 'billing.rolloverMaxHours'],
    [{ model: 'retainer', fee: '100', interval: 'week', includedHours: '5' }, 400, 'billing.interval'],
    [{ model: 'barter' }, 400, 'billing.model'],
    [{ model: 'hourly', colour: 'red' }, 400, 'billing.colour'],
  ];
  for (const [billing, status, field] of refusals) {
    assertProblem(await firm.request('POST', '/v1/projects', { customerId: customer.id, name: 'X', billing }), { status, field });
  }
  const others: Array<[Record<string, unknown>, number, string, string?]> = [
    [{ budget: { hours: '10', amount: '100' } }, 422, 'budget'],
    [{ budget: { hours: '0' } }, 422, 'budget.hours'],
    [{ roundingMinutes: 7 }, 400, 'roundingMinutes'],
    [{ name: '   ' }, 422, 'name'],
    [{ customerId: 'cus_nope' }, 422, 'customerId', 'customer_not_found'],
  ];
  for (const [fields, status, field, code] of others) {
    assertProblem(await firm.request('POST', '/v1/projects', { customerId: customer.id, name: 'X', billing: { model: 'hourly' }, ...fields }), { status, field, ...(code ? { code } : {}) });
  }
  const archived = await createCustomer(firm, { name: 'Gone' });
  expectStatus(await firm.request('POST', `/v1/customers/${archived.id}/archive`), 200);
  assertProblem(await firm.request('POST', '/v1/projects', { customerId: archived.id, name: 'X', billing: { model: 'hourly' } }), { status: 422, code: 'customer_archived' });
});

test('changing a project: billing replaced whole, the hourly rate kept unless given, codes unique', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const project = await createProject(firm, customer.id, { code: 'A1', billing: { model: 'hourly', rate: '100' } });
  await createProject(firm, customer.id, { name: 'Other', code: 'B2' });
  assertProblem(await firm.request('POST', '/v1/projects', { customerId: customer.id, name: 'Dup', code: 'A1', billing: { model: 'hourly' } }), { status: 409, code: 'project_code_taken', field: 'code' });
  assertProblem(await firm.request('PATCH', `/v1/projects/${project.id}`, { code: 'B2' }), { status: 409, code: 'project_code_taken' });

  const renamed = expectStatus(await firm.request('PATCH', `/v1/projects/${project.id}`, { name: 'Renamed', billing: { model: 'hourly' }, roundingMinutes: 6 }), 200);
  assert.deepEqual([renamed.name, renamed.code, renamed.billing, renamed.roundingMinutes], ['Renamed', 'A1', { model: 'hourly', rate: '100' }, 6]);
  const fixed = expectStatus(await firm.request('PATCH', `/v1/projects/${project.id}`, { billing: { model: 'fixed', amount: '900' }, budget: { hours: '12.5' } }), 200);
  assert.deepEqual([fixed.billing, fixed.budget], [{ model: 'fixed', currency: 'EUR', amount: '900.00' }, { hours: '12.5', amount: null }]);
  assert.deepEqual(await projectRules(project.id), [], 'a fixed project has no hourly rate of its own');
  const hourly = expectStatus(await firm.request('PATCH', `/v1/projects/${project.id}`, { billing: { model: 'hourly', rate: '95' }, budget: null }), 200);
  assert.deepEqual([hourly.billing, hourly.budget], [{ model: 'hourly', rate: '95' }, null]);
  const noRate = expectStatus(await firm.request('PATCH', `/v1/projects/${project.id}`, { billing: { model: 'hourly', rate: null } }), 200);
  assert.deepEqual(noRate.billing, { model: 'hourly', rate: null });
  const archived = expectStatus(await firm.request('PATCH', `/v1/projects/${project.id}`, { status: 'archived' }), 200);
  assert.equal(archived.status, 'archived');
  assertProblem(await firm.request('PATCH', `/v1/projects/${project.id}`, { customerId: customer.id }), { status: 400, field: 'customerId' });
  assertProblem(await firm.request('PATCH', '/v1/projects/prj_nope', { name: 'X' }), { status: 404, code: 'project_not_found' });

  const names = async (query: string) => expectStatus(await firm.request('GET', `/v1/projects${query}`), 200).data.map((p: any) => p.name);
  assert.deepEqual(await names(''), ['Other', 'Renamed']);
  assert.deepEqual(await names('?status=active'), ['Other']);
  assert.deepEqual(await names('?search=b2'), ['Other']);
  assert.deepEqual(await names(`?customerId=${customer.id}&limit=1`), ['Other']);
});

test('tasks: their rate is their task rule; names unique per project; archiving', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const project = await createProject(firm, customer.id);
  const design = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design', rate: '130' }), 201);
  const meetings = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Meetings', billable: false }), 201);
  assert.deepEqual([design.name, design.rate, design.billable, meetings.rate, meetings.billable], ['Design', '130', true, null, false]);
  assertProblem(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design' }), { status: 409, code: 'task_name_taken' });
  const changed = expectStatus(await firm.request('PATCH', `/v1/tasks/${design.id}`, { rate: null, archived: true }), 200);
  assert.equal(changed.rate, null);
  assert.ok(changed.archivedAt);
  const reopened = expectStatus(await firm.request('PATCH', `/v1/tasks/${design.id}`, { archived: false, rate: '140' }), 200);
  assert.deepEqual([reopened.archivedAt, reopened.rate], [null, '140']);
  const list = expectStatus(await firm.request('GET', `/v1/projects/${project.id}/tasks`), 200).data;
  assert.deepEqual(list.map((t: any) => [t.name, t.rate]), [['Design', '140'], ['Meetings', null]]);
  assertProblem(await firm.request('GET', '/v1/projects/prj_nope/tasks'), { status: 404, code: 'project_not_found' });
  assertProblem(await firm.request('PATCH', '/v1/tasks/tsk_nope', { name: 'X' }), { status: 404, code: 'task_not_found' });
});

test('rate rules: one per scope and currency (setting again replaces), scopes named by their ids', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const customer = await createCustomer(firm, { currency: 'CHF' });
  const project = await createProject(firm, customer.id, { billing: { model: 'hourly' } });
  const task = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design' }), 201);
  const set = async (body: Record<string, unknown>) => expectStatus(await firm.request('POST', '/v1/rate-rules', body), 201);

  const org = await set({ rate: '90' });
  const orgUsd = await set({ rate: '100', currency: 'USD' });
  const user = await set({ userId: bea.userId, rate: '110' });
  const onProject = await set({ userId: bea.userId, projectId: project.id, rate: '125' });
  const ofProject = await set({ projectId: project.id, rate: '120' });
  const ofTask = await set({ taskId: task.id, rate: '150' });
  assert.deepEqual(
    [org, orgUsd, user, onProject, ofProject, ofTask].map((r) => [r.scope, r.currency, r.rate]),
    [['organization', 'EUR', '90'], ['organization', 'USD', '100'], ['user', 'EUR', '110'], ['user_on_project', 'CHF', '125'], ['project', 'CHF', '120'], ['task', 'CHF', '150']],
  );
  const again = await set({ userId: bea.userId, projectId: project.id, rate: '126' });
  assert.deepEqual([again.id, again.rate], [onProject.id, '126']);
  assert.equal(expectStatus(await firm.request('GET', `/v1/projects/${project.id}`), 200).billing.rate, '120');
  assert.equal(expectStatus(await firm.request('GET', `/v1/projects/${project.id}/tasks`), 200).data[0].rate, '150');

  assertProblem(await firm.request('POST', '/v1/rate-rules', { taskId: task.id, userId: bea.userId, rate: '1' }), { status: 422, field: 'taskId' });
  assertProblem(await firm.request('POST', '/v1/rate-rules', { projectId: project.id, currency: 'EUR', rate: '1' }), { status: 422, code: 'currency_mismatch' });
  assertProblem(await firm.request('POST', '/v1/rate-rules', { rate: '1', currency: 'XXX' }), { status: 422, field: 'currency' });
  assertProblem(await firm.request('POST', '/v1/rate-rules', { rate: '1.0000001' }), { status: 422, field: 'rate' });

  const list = expectStatus(await firm.request('GET', '/v1/rate-rules'), 200).data;
  assert.equal(list.length, 6);
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/rate-rules?userId=${bea.userId}`), 200).data.map((r: any) => r.scope), ['user_on_project', 'user']);
  assert.equal((await firm.request('DELETE', `/v1/rate-rules/${ofProject.id}`)).status, 204);
  assertProblem(await firm.request('DELETE', `/v1/rate-rules/${ofProject.id}`), { status: 404, code: 'rate_rule_not_found' });
  assert.equal(expectStatus(await firm.request('GET', `/v1/projects/${project.id}`), 200).billing.rate, null);
});
