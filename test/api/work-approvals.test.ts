/**
 * Approvals: time on projects that require approval waits as pending; an owner or admin (not
 * the person themselves) approves or rejects a person's week. Approved time is locked (by the
 * API and by the database); rejected time is editable and goes back to pending when changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, hourlyProject, logTime, ownerId } from '../helpers/work.ts';

const api = await createTestApi('2026-03-10T10:00:00Z');

async function setUp() {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const admin = await addPerson(api, firm, { role: 'admin' });
  const { customer, project } = await hourlyProject(firm, '100', { requiresApproval: true });
  const free = await hourlyProject(firm, '100'); // needs no approval
  const week1 = [await logTime(bea, project.id, 60, '2026-03-02'), await logTime(bea, project.id, 30, '2026-03-08')];
  const week2 = await logTime(bea, project.id, 45, '2026-03-09');
  const unapproved = await logTime(bea, free.project.id, 20, '2026-03-02');
  return { firm, bea, admin, customer, project, week1, week2, unapproved };
}

const stateOf = async (firm: any, id: string) => expectStatus(await firm.request('GET', `/v1/time-entries/${id}`), 200);

test('pending weeks are listed per person; time needing no approval is not', async () => {
  const { firm, bea, unapproved } = await setUp();
  assert.equal(unapproved.approvalState, 'not_required');
  const weeks = expectStatus(await firm.request('GET', '/v1/approvals/pending'), 200).data;
  assert.deepEqual(weeks, [
    { userId: bea.userId, weekStart: '2026-03-02', weekEnd: '2026-03-08', entryCount: 2, minutes: 90 },
    { userId: bea.userId, weekStart: '2026-03-09', weekEnd: '2026-03-15', entryCount: 1, minutes: 45 },
  ]);
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/approvals/pending?userId=${await ownerId(firm)}`), 200).data, []);
});

test('approving a week locks its entries, in the API and in the database', async () => {
  const { firm, bea, admin, week1, week2 } = await setUp();
  const decision = expectStatus(await admin.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-02', decision: 'approved', comment: 'Fine' }), 201);
  assert.deepEqual([decision.userId, decision.weekStart, decision.decision, decision.approverId, decision.comment, decision.entryCount, decision.decidedAt],
    [bea.userId, '2026-03-02', 'approved', admin.userId, 'Fine', 2, '2026-03-10T10:00:00.000Z']);
  for (const entry of week1) {
    const read = await stateOf(firm, entry.id);
    assert.deepEqual([read.approvalState, read.locked, read.billed], ['approved', true, false]);
    assertProblem(await bea.request('PATCH', `/v1/time-entries/${entry.id}`, { minutes: 1 }), { status: 409, code: 'time_entry_locked' });
    assertProblem(await bea.request('DELETE', `/v1/time-entries/${entry.id}`), { status: 409, code: 'time_entry_locked' });
  }
  await assert.rejects(api.db.pool.query(`delete from time_entries where id = $1`, [week1[0].id]), /approved or billed/);
  await assert.rejects(api.db.pool.query(`update time_entries set description = 'x' where id = $1`, [week1[0].id]), /approved or billed/);
  assert.equal((await stateOf(firm, week2.id)).approvalState, 'pending', 'the next week is untouched');
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/approvals/pending'), 200).data.map((w: any) => w.weekStart), ['2026-03-09']);
  // Nothing is left to decide in that week.
  assertProblem(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-02', decision: 'approved' }), { status: 422, code: 'nothing_to_approve' });
});

test('a rejected week is editable again; a change sends it back to pending, to be approved later', async () => {
  const { firm, bea, week2 } = await setUp();
  assertProblem(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-09', decision: 'rejected' }), { status: 422, field: 'comment' });
  const rejected = expectStatus(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-09', decision: 'rejected', comment: 'Which task?' }), 201);
  assert.equal(rejected.decision, 'rejected');
  const read = await stateOf(firm, week2.id);
  assert.deepEqual([read.approvalState, read.locked], ['rejected', false]);
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/approvals/pending'), 200).data.map((w: any) => w.weekStart), ['2026-03-02']);

  const fixed = expectStatus(await bea.request('PATCH', `/v1/time-entries/${week2.id}`, { description: 'Design review' }), 200);
  assert.equal(fixed.approvalState, 'pending');
  expectStatus(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-09', decision: 'approved' }), 201);
  assert.equal((await stateOf(firm, week2.id)).approvalState, 'approved');
  const history = expectStatus(await firm.request('GET', `/v1/approvals?userId=${bea.userId}&weekStart=2026-03-09`), 200).data;
  assert.deepEqual(history.map((d: any) => [d.decision, d.comment]), [['approved', null], ['rejected', 'Which task?']]);
});

test('who may decide: owners and admins, never on their own time; weeks start on Monday', async () => {
  const { firm, bea, admin, project } = await setUp();
  assertProblem(await bea.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-02', decision: 'approved' }), { status: 403, code: 'forbidden' });
  const other = await addPerson(api, firm);
  assertProblem(await other.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-02', decision: 'approved' }), { status: 403, code: 'forbidden' });
  await logTime(admin, project.id, 60, '2026-03-03');
  assertProblem(await admin.request('POST', '/v1/approvals', { userId: admin.userId, weekStart: '2026-03-02', decision: 'approved' }), { status: 403, code: 'own_time' });
  expectStatus(await firm.request('POST', '/v1/approvals', { userId: admin.userId, weekStart: '2026-03-02', decision: 'approved' }), 201);
  assertProblem(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-03', decision: 'approved' }), { status: 422, field: 'weekStart' });
  assertProblem(await firm.request('POST', '/v1/approvals', { userId: 'usr_nobody', weekStart: '2026-03-02', decision: 'approved' }), { status: 422, code: 'user_not_found', field: 'userId' });
  assertProblem(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-02', decision: 'maybe' }), { status: 400, field: 'decision' });
});
