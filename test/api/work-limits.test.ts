/**
 * Project limits as billing sees them: an hourly project's not-to-exceed amount (a warning in the
 * unbilled view, and invoicing past it only when asked), money and hours budgets (warnings), all
 * counted from what each entry and expense actually billed on standing invoices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { hourlyProject, logTime } from '../helpers/work.ts';

const api = await createTestApi('2026-03-15T10:00:00Z');

test('not-to-exceed: checked, shown, warned in the unbilled view, and billed past only when asked', async () => {
  const firm = await api.tenant();
  assertProblem(await firm.request('POST', '/v1/projects', {
    customerId: (await hourlyProject(firm)).customer.id, name: 'Bad', billing: { model: 'hourly', rate: '100', notToExceed: '0' },
  }), { status: 422, field: 'billing.notToExceed' });
  const { customer, project } = await hourlyProject(firm, '100', { billing: { model: 'hourly', rate: '100', notToExceed: '500.00' } });
  assert.equal(project.billing.notToExceed, '500.00');
  const unbilled = async () => expectStatus(await firm.request('GET', `/v1/unbilled?customerId=${customer.id}`), 200).data[0];
  const fromUnbilled = (body: Record<string, unknown> = {}) => firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id, ...body });

  await logTime(firm, project.id, 180, '2026-03-02'); // 300.00
  assert.deepEqual((await unbilled()).warnings, []);
  const first = expectStatus(await fromUnbilled(), 201);
  assert.equal(first.total, '300.00');

  await logTime(firm, project.id, 150, '2026-03-03'); // 250.00: 550.00 in all
  const view = await unbilled();
  assert.deepEqual(view.warnings, [{
    code: 'not_to_exceed_exceeded', projectId: project.id,
    message: 'Website: 300.00 billed and 250.00 unbilled come to 550.00, 50.00 over its not-to-exceed amount of 500.00',
  }]);
  assertProblem(await fromUnbilled(), { status: 422, code: 'not_to_exceed_exceeded', field: 'allowOverLimit' });
  // Deleting the first (draft) invoice releases its work: billed to date is 0.00 again.
  assert.equal((await firm.request('DELETE', `/v1/invoices/${first.id}`)).status, 204);
  assert.deepEqual((await unbilled()).warnings.map((w: any) => w.message), ['Website: 0.00 billed and 550.00 unbilled come to 550.00, 50.00 over its not-to-exceed amount of 500.00']);
  const second = expectStatus(await fromUnbilled({ allowOverLimit: true }), 201);
  assert.equal(second.total, '550.00');
  assert.equal(await unbilled(), undefined); // nothing left to bill
});

test('budgets warn: money counts billed + unbilled; hours count all billable time logged', async () => {
  const firm = await api.tenant();
  const money = await hourlyProject(firm, '100', { budget: { amount: '150.00' } });
  await logTime(firm, money.project.id, 120, '2026-03-02');
  const [moneyView] = expectStatus(await firm.request('GET', `/v1/unbilled?customerId=${money.customer.id}`), 200).data;
  assert.deepEqual(moneyView.warnings.map((w: any) => [w.code, w.message]), [
    ['budget_exceeded', 'Website: 0.00 billed and 200.00 unbilled come to 200.00, 50.00 over its budget of 150.00'],
  ]);
  // A budget is a warning only: the invoice is made.
  expectStatus(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: money.customer.id }), 201);

  const hours = await hourlyProject(firm, '100', { budget: { hours: '2.5' } });
  await logTime(firm, hours.project.id, 150, '2026-03-02');
  const view = async () => expectStatus(await firm.request('GET', `/v1/unbilled?customerId=${hours.customer.id}`), 200).data[0];
  assert.deepEqual((await view()).warnings, []); // exactly at the budget
  await logTime(firm, hours.project.id, 1, '2026-03-03');
  assert.deepEqual((await view()).warnings.map((w: any) => w.message), ['Website: 2 h 31 min logged, over its budget of 2.5 h']);
});

test("migration 0011's backfill gives work billed before it the shares the billing itself records", async () => {
  const { readFile } = await import('node:fs/promises');
  const firm = await api.tenant();
  const { customer, project } = await hourlyProject(firm, '33.33', { roundingMinutes: 15 });
  for (const [minutes, day] of [[7, 2], [61, 3], [13, 4], [100, 5]] as const) await logTime(firm, project.id, minutes, `2026-03-0${day}`);
  expectStatus(await firm.request('POST', '/v1/expenses', { projectId: project.id, date: '2026-03-02', amount: '19.99', category: 'Taxi', markupPercent: '10' }), 201);
  expectStatus(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id, groupBy: 'project' }), 201);
  const billed = async () => (await api.db.pool.query(
    `select id, billed_minor from time_entries where project_id = $1 union all select id, billed_minor from expenses where project_id = $1 order by id`, [project.id],
  )).rows;
  const recorded = await billed();
  assert.ok(recorded.every((row) => row.billed_minor !== null));
  // As if billed before the column existed; then the migration's backfill.
  await api.db.pool.query(`update time_entries set billed_minor = null where project_id = $1`, [project.id]);
  await api.db.pool.query(`update expenses set billed_minor = null where project_id = $1`, [project.id]);
  const migration = await readFile(new URL('../../migrations/0011_contract_taxes_and_grouping.sql', import.meta.url), 'utf8');
  await api.db.pool.query(migration.slice(migration.indexOf('-- Work billed before billed_minor existed')));
  assert.deepEqual(await billed(), recorded);
});
