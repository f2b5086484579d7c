/**
 * Invoice approval: drafts matching rules are issued only after an approver of each rule (one it
 * names, or an owner or admin) approves the current version; every decision is recorded with who,
 * when and why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { createCustomer, createDraft, expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi();

test('a draft above the rule amount cannot be issued until approved; a smaller one needs nothing', async () => {
  const firm = await api.tenant();
  const rule = expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'Large invoices', minimumTotal: '1000.00', currency: 'EUR' }), 201);
  assert.deepEqual([rule.minimumTotal, rule.currency, rule.customerIds], ['1000.00', 'EUR', null]);
  const customer = await createCustomer(firm);
  const small = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '999.99' }]);
  assert.equal(expectStatus(await firm.request('GET', `/v1/invoices/${small.id}/approval`), 200).status, 'not_required');
  expectStatus(await firm.request('POST', `/v1/invoices/${small.id}/issue`), 200);

  const large = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '1000.00' }]);
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/invoices/${large.id}/approval`), 200), {
    required: true, status: 'pending', rules: ['Large invoices'], ruleStatuses: [{ ruleId: rule.id, name: 'Large invoices', approverIds: null, status: 'pending' }], decisions: [],
  });
  assertProblem(await firm.request('POST', `/v1/invoices/${large.id}/issue`), { status: 409, code: 'approval_required' });

  const rejected = expectStatus(await firm.request('POST', `/v1/invoices/${large.id}/reject`, { comment: 'Wrong rate' }), 200);
  assert.equal(rejected.status, 'rejected');
  assertProblem(await firm.request('POST', `/v1/invoices/${large.id}/issue`), { status: 409, code: 'approval_required' });

  const approved = expectStatus(await firm.request('POST', `/v1/invoices/${large.id}/approve`, { comment: 'OK now' }), 200);
  assert.equal(approved.status, 'approved');
  assert.deepEqual(approved.decisions.map((d: any) => [d.decision, d.comment, d.current]), [['rejected', 'Wrong rate', true], ['approved', 'OK now', true]]);
  assert.match(approved.decisions[1].userId, /^usr_/);
  const issued = expectStatus(await firm.request('POST', `/v1/invoices/${large.id}/issue`), 200);
  assert.equal(issued.number, 'INV-2026-0002', 'the refused attempts took no number');
});

test('editing an approved draft needs a new approval; customer rules match only their customers', async () => {
  const firm = await api.tenant();
  const watched = await createCustomer(firm, { name: 'Watched' });
  const other = await createCustomer(firm, { name: 'Other' });
  expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'Key account', customerIds: [watched.id] }), 201);
  const free = await createDraft(firm, other.id, [{ description: 'Work', quantity: '1', unitPrice: '5000' }]);
  expectStatus(await firm.request('POST', `/v1/invoices/${free.id}/issue`), 200);

  const draft = await createDraft(firm, watched.id, [{ description: 'Work', quantity: '1', unitPrice: '10' }]);
  expectStatus(await firm.request('POST', `/v1/invoices/${draft.id}/approve`, {}), 200);
  api.clock.at = new Date(api.clock.at.getTime() + 1000);
  expectStatus(await firm.request('PUT', `/v1/invoices/${draft.id}`, { customerId: watched.id, lines: [{ description: 'Work', quantity: '2', unitPrice: '10' }] }), 200);
  const after = expectStatus(await firm.request('GET', `/v1/invoices/${draft.id}/approval`), 200);
  assert.equal(after.status, 'pending');
  assert.equal(after.decisions[0].current, false);
  assertProblem(await firm.request('POST', `/v1/invoices/${draft.id}/issue`), { status: 409, code: 'approval_required' });
});

test('rules are validated, deletable, and per organization', async () => {
  const firm = await api.tenant();
  assertProblem(await firm.request('POST', '/v1/approval-rules', { name: 'Nothing' }), { status: 422, field: 'minimumTotal' });
  assertProblem(await firm.request('POST', '/v1/approval-rules', { name: 'Half', minimumTotal: '10.00' }), { status: 422, field: 'currency' });
  assertProblem(await firm.request('POST', '/v1/approval-rules', { name: 'Ghost', customerIds: ['cus_nope'] }), { status: 422, field: 'customerIds' });
  const rule = expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'Big', minimumTotal: '1', currency: 'EUR' }), 201);
  const stranger = await api.tenant();
  assert.deepEqual(expectStatus(await stranger.request('GET', '/v1/approval-rules'), 200).data, []);
  assertProblem(await stranger.request('DELETE', `/v1/approval-rules/${rule.id}`), { status: 404 });
  assert.equal((await firm.request('DELETE', `/v1/approval-rules/${rule.id}`)).status, 204);
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/approval-rules'), 200).data, []);
});

test('only owners and admins decide: a member gets 403 and nothing is recorded', async () => {
  const firm = await api.tenant();
  const { createApiKey, insertUser } = await import('../../src/modules/access/index.ts');
  const { inTransaction } = await import('../../src/shared/db.ts');
  const key = await inTransaction(api.db.pool, async (tx) => {
    await insertUser(tx, { id: 'usr_member_approvals', organizationId: firm.organizationId, email: 'member@test.example', role: 'member' });
    return createApiKey(tx, firm.organizationId, 'usr_member_approvals', 'member key');
  });
  expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'All', minimumTotal: '0', currency: 'EUR' }), 201);
  const draft = await createDraft(firm, (await createCustomer(firm)).id, [{ description: 'Work', quantity: '1', unitPrice: '10' }]);
  const response = await firm.request('POST', `/v1/invoices/${draft.id}/approve`, {}, { authorization: `Bearer ${key.key}` });
  assertProblem(response, { status: 403, code: 'forbidden' });
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/invoices/${draft.id}/approval`), 200).decisions, []);
});

test('a rule may name its approvers; with several rules, each needs one of its own', async () => {
  const { addPerson } = await import('../helpers/work.ts');
  const firm = await api.tenant();
  const bea = await addPerson(api, firm, { role: 'member' });
  const cal = await addPerson(api, firm, { role: 'member' });
  const keyAccount = await createCustomer(firm, { name: 'Key account' });
  assertProblem(await firm.request('POST', '/v1/approval-rules', { name: 'Ghost', minimumTotal: '1', currency: 'EUR', approverIds: ['usr_nope'] }),
    { status: 422, code: 'user_not_found', field: 'approverIds' });
  const big = expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'Big', minimumTotal: '500.00', currency: 'EUR', approverIds: [cal.userId] }), 201);
  assert.deepEqual(big.approverIds, [cal.userId]);
  // Replaced whole: now Bea signs off for big invoices.
  const replaced = expectStatus(await firm.request('PUT', `/v1/approval-rules/${big.id}`, { name: 'Big', minimumTotal: '1000.00', currency: 'EUR', approverIds: [bea.userId] }), 200);
  assert.deepEqual([replaced.minimumTotal, replaced.approverIds], ['1000.00', [bea.userId]]);
  assertProblem(await firm.request('PUT', '/v1/approval-rules/apr_nope', { name: 'X', customerIds: [keyAccount.id] }), { status: 404 });
  // Only owners and admins set rules: a member cannot make themselves an approver, nor drop a rule.
  assertProblem(await cal.request('PUT', `/v1/approval-rules/${big.id}`, { name: 'Big', minimumTotal: '1000.00', currency: 'EUR', approverIds: [cal.userId] }), { status: 403, code: 'forbidden' });
  assertProblem(await cal.request('POST', '/v1/approval-rules', { name: 'Mine', customerIds: [keyAccount.id], approverIds: [cal.userId] }), { status: 403, code: 'forbidden' });
  assertProblem(await cal.request('DELETE', `/v1/approval-rules/${big.id}`), { status: 403, code: 'forbidden' });
  expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'Key accounts', customerIds: [keyAccount.id] }), 201); // owners and admins

  const draft = await createDraft(firm, keyAccount.id, [{ description: 'Build', quantity: '1', unitPrice: '2000.00' }]);
  const approval = async () => expectStatus(await firm.request('GET', `/v1/invoices/${draft.id}/approval`), 200);
  assertProblem(await cal.request('POST', `/v1/invoices/${draft.id}/approve`, {}), { status: 403, code: 'forbidden' });
  expectStatus(await bea.request('POST', `/v1/invoices/${draft.id}/approve`, { comment: 'Budget ok' }), 200);
  assert.deepEqual([(await approval()).status, (await approval()).ruleStatuses.map((r: any) => [r.name, r.approverIds, r.status])],
    ['pending', [['Big', [bea.userId], 'approved'], ['Key accounts', null, 'pending']]]);
  assertProblem(await firm.request('POST', `/v1/invoices/${draft.id}/issue`), { status: 409, code: 'approval_required' });
  expectStatus(await firm.request('POST', `/v1/invoices/${draft.id}/approve`, {}), 200); // the owner, for key accounts
  assert.equal((await approval()).status, 'approved');
  expectStatus(await firm.request('POST', `/v1/invoices/${draft.id}/issue`), 200);
});
