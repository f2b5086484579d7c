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
