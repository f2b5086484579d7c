/**
 * Time entries (minutes on a date, or start and end), whose they are, editing and deleting,
 * lists; the week view; the running timer (start, stop, switch, discard).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, createProject, hourlyProject, logTime, ownerId } from '../helpers/work.ts';

const NOW = '2026-03-10T10:00:00Z'; // a Tuesday; Europe/Berlin is UTC+1 in March
const api = await createTestApi(NOW);

async function atTime<T>(instant: string, fn: () => Promise<T>): Promise<T> {
  api.clock.at = new Date(instant);
  try {
    return await fn();
  } finally {
    api.clock.at = new Date(NOW);
  }
}

test('an entry of minutes on a date is the requester\'s, billable by default, needing no approval', async () => {
  const firm = await api.tenant();
  const { project } = await hourlyProject(firm);
  const entry = await logTime(firm, project.id, 45, '2026-03-02', { description: '  Kick-off  ' });
  assert.deepEqual(
    [entry.userId, entry.projectId, entry.taskId, entry.date, entry.minutes, entry.start, entry.end, entry.description, entry.billable, entry.approvalState, entry.billed, entry.locked],
    [await ownerId(firm), project.id, null, '2026-03-02', 45, null, null, 'Kick-off', true, 'not_required', false, false],
  );
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/time-entries/${entry.id}`), 200), entry);
});

test('start and end: minutes to the nearest minute, dated by the start in the organization\'s time zone', async () => {
  const firm = await api.tenant();
  const { project } = await hourlyProject(firm);
  const timed = expectStatus(await firm.request('POST', '/v1/time-entries', {
    projectId: project.id, start: '2026-03-01T23:30:00Z', end: '2026-03-02T00:59:30Z', description: 'Night shift',
  }), 201);
  // 89.5 minutes round to 90; 23:30 UTC is 00:30 on 2 March in Berlin.
  assert.deepEqual([timed.minutes, timed.date, timed.start, timed.end], [90, '2026-03-02', '2026-03-01T23:30:00.000Z', '2026-03-02T00:59:30.000Z']);
  const dated = expectStatus(await firm.request('POST', '/v1/time-entries', { projectId: project.id, date: '2026-03-01', start: '2026-03-01T23:30:00Z', end: '2026-03-01T23:30:20Z' }), 201);
  assert.deepEqual([dated.minutes, dated.date], [1, '2026-03-01']); // at least a minute

  const refusals: Array<[Record<string, unknown>, number, string, string]> = [
    [{ minutes: 30 }, 422, 'date', 'invalid_input'],
    [{ date: '2026-03-02' }, 422, 'minutes', 'invalid_input'],
    [{ date: '2026-03-02', minutes: 30, start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' }, 422, 'minutes', 'invalid_input'],
    [{ start: '2026-03-02T09:00:00Z' }, 422, 'end', 'invalid_input'],
    [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T09:00:00Z' }, 422, 'end', 'invalid_input'],
    [{ start: '2026-03-02T09:00:00Z', end: '2026-03-03T09:01:00Z' }, 422, 'end', 'invalid_input'],
    [{ date: '2026-03-02', minutes: 0 }, 400, 'minutes', 'invalid_request'],
    [{ date: '2026-03-02', minutes: 1441 }, 400, 'minutes', 'invalid_request'],
    [{ date: '2026-03-02', minutes: '30' }, 400, 'minutes', 'invalid_request'],
    [{ date: '2026-03-02', minutes: 1.5 }, 400, 'minutes', 'invalid_request'],
    [{ start: 'yesterday', end: '2026-03-02T09:00:00Z' }, 400, 'start', 'invalid_request'],
  ];
  for (const [fields, status, field, code] of refusals) {
    assertProblem(await firm.request('POST', '/v1/time-entries', { projectId: project.id, ...fields }), { status, code, field });
  }
});

test('whose time: the request\'s user by default, another person of the firm when named, never someone elsewhere', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const { project } = await hourlyProject(firm);
  assert.equal((await logTime(bea, project.id, 30)).userId, bea.userId);
  assert.equal((await logTime(firm, project.id, 30, '2026-03-02', { userId: bea.userId })).userId, bea.userId);
  const elsewhere = await addPerson(api, await api.tenant());
  assertProblem(await firm.request('POST', '/v1/time-entries', { projectId: project.id, date: '2026-03-02', minutes: 5, userId: elsewhere.userId }), { status: 422, code: 'user_not_found', field: 'userId' });
  const keyOfNoOne = await addPerson(api, firm, { withoutUser: true });
  assertProblem(await keyOfNoOne.request('POST', '/v1/time-entries', { projectId: project.id, date: '2026-03-02', minutes: 5 }), { status: 422, code: 'user_required', field: 'userId' });
});

test('tasks: billable default, must be of the project and open; archived projects take no new time', async () => {
  const firm = await api.tenant();
  const { customer, project } = await hourlyProject(firm);
  const internal = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Internal', billable: false }), 201);
  assert.equal((await logTime(firm, project.id, 10, '2026-03-02', { taskId: internal.id })).billable, false);
  assert.equal((await logTime(firm, project.id, 10, '2026-03-02', { taskId: internal.id, billable: true })).billable, true);
  const other = await createProject(firm, customer.id, { name: 'Other' });
  assertProblem(await firm.request('POST', '/v1/time-entries', { projectId: other.id, taskId: internal.id, date: '2026-03-02', minutes: 5 }), { status: 422, code: 'task_not_in_project', field: 'taskId' });
  expectStatus(await firm.request('PATCH', `/v1/tasks/${internal.id}`, { archived: true }), 200);
  assertProblem(await firm.request('POST', '/v1/time-entries', { projectId: project.id, taskId: internal.id, date: '2026-03-02', minutes: 5 }), { status: 422, code: 'task_archived', field: 'taskId' });
  const earlier = await logTime(firm, other.id, 30);
  expectStatus(await firm.request('PATCH', `/v1/projects/${other.id}`, { status: 'archived' }), 200);
  assertProblem(await firm.request('POST', '/v1/time-entries', { projectId: other.id, date: '2026-03-02', minutes: 5 }), { status: 422, code: 'project_archived', field: 'projectId' });
  assertProblem(await firm.request('PATCH', `/v1/time-entries/${(await logTime(firm, project.id, 5)).id}`, { projectId: other.id }), { status: 422, code: 'project_archived' });
  // Time already on an archived project may still be corrected.
  assert.equal(expectStatus(await firm.request('PATCH', `/v1/time-entries/${earlier.id}`, { minutes: 35 }), 200).minutes, 35);
});

test('editing and deleting an entry; moving it to another project drops its task', async () => {
  const firm = await api.tenant();
  const { customer, project } = await hourlyProject(firm);
  const task = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design' }), 201);
  const entry = expectStatus(await firm.request('POST', '/v1/time-entries', { projectId: project.id, taskId: task.id, start: '2026-03-02T08:00:00Z', end: '2026-03-02T09:00:00Z' }), 201);

  const minutes = expectStatus(await firm.request('PATCH', `/v1/time-entries/${entry.id}`, { minutes: 75, description: 'Longer' }), 200);
  assert.deepEqual([minutes.minutes, minutes.start, minutes.end, minutes.date, minutes.description, minutes.taskId], [75, null, null, '2026-03-02', 'Longer', task.id]);
  const retimed = expectStatus(await firm.request('PATCH', `/v1/time-entries/${entry.id}`, { start: '2026-03-03T08:00:00Z', end: '2026-03-03T08:30:00Z' }), 200);
  assert.deepEqual([retimed.minutes, retimed.date], [30, '2026-03-03']);
  const other = await createProject(firm, customer.id, { name: 'Other', requiresApproval: true });
  const moved = expectStatus(await firm.request('PATCH', `/v1/time-entries/${entry.id}`, { projectId: other.id }), 200);
  assert.deepEqual([moved.projectId, moved.taskId, moved.approvalState], [other.id, null, 'pending']);
  assertProblem(await firm.request('PATCH', `/v1/time-entries/${entry.id}`, { userId: 'usr_x' }), { status: 400, code: 'invalid_request', field: 'userId' });

  assert.equal((await firm.request('DELETE', `/v1/time-entries/${entry.id}`)).status, 204);
  assertProblem(await firm.request('GET', `/v1/time-entries/${entry.id}`), { status: 404, code: 'time_entry_not_found' });
  assertProblem(await firm.request('DELETE', `/v1/time-entries/${entry.id}`), { status: 404, code: 'time_entry_not_found' });
});

test('lists filter by person, project, customer, dates and state, newest date first, in pages', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const { customer, project } = await hourlyProject(firm);
  const other = await hourlyProject(firm);
  const mine = [await logTime(firm, project.id, 10, '2026-03-02'), await logTime(firm, project.id, 20, '2026-03-04'), await logTime(firm, project.id, 30, '2026-03-03')];
  const hers = await logTime(bea, project.id, 40, '2026-03-05');
  const elsewhere = await logTime(firm, other.project.id, 50, '2026-03-06');
  const ids = async (query: string) => expectStatus(await firm.request('GET', `/v1/time-entries${query}`), 200).data.map((e: any) => e.id);
  assert.deepEqual(await ids(''), [elsewhere.id, hers.id, mine[1].id, mine[2].id, mine[0].id]);
  assert.deepEqual(await ids(`?userId=${bea.userId}`), [hers.id]);
  assert.deepEqual(await ids(`?projectId=${other.project.id}`), [elsewhere.id]);
  assert.deepEqual(await ids(`?customerId=${customer.id}&from=2026-03-03&to=2026-03-04`), [mine[1].id, mine[2].id]);
  assert.deepEqual(await ids('?approvalState=pending'), []);
  assert.deepEqual(await ids('?billed=false&limit=200'), [elsewhere.id, hers.id, mine[1].id, mine[2].id, mine[0].id]);

  const first = expectStatus(await firm.request('GET', '/v1/time-entries?limit=2'), 200);
  const second = expectStatus(await firm.request('GET', `/v1/time-entries?limit=2&cursor=${first.nextCursor}`), 200);
  const third = expectStatus(await firm.request('GET', `/v1/time-entries?limit=2&cursor=${second.nextCursor}`), 200);
  assert.deepEqual([...first.data, ...second.data, ...third.data].map((e: any) => e.id), await ids(''));
  assert.equal(third.nextCursor, null);
});

test('the week view: one person, Monday to Sunday, minutes per project and task per day', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const { customer, project } = await hourlyProject(firm);
  const design = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design' }), 201);
  const audit = await createProject(firm, customer.id, { name: 'Audit' });
  await logTime(firm, project.id, 60, '2026-03-08'); // the Sunday before
  await logTime(firm, project.id, 30, '2026-03-09');
  await logTime(firm, project.id, 15, '2026-03-09');
  await logTime(firm, project.id, 120, '2026-03-11', { taskId: design.id });
  await logTime(firm, audit.id, 45, '2026-03-15');
  await logTime(firm, project.id, 60, '2026-03-16'); // the Monday after
  await logTime(bea, project.id, 480, '2026-03-10'); // someone else's

  const week = expectStatus(await firm.request('GET', '/v1/time-entries/week'), 200); // today is Tuesday 10 March
  assert.deepEqual([week.userId, week.weekStart, week.weekEnd, week.totalMinutes], [await ownerId(firm), '2026-03-09', '2026-03-15', 210]);
  assert.deepEqual(week.days.map((d: any) => [d.date, d.minutes]), [
    ['2026-03-09', 45], ['2026-03-10', 0], ['2026-03-11', 120], ['2026-03-12', 0], ['2026-03-13', 0], ['2026-03-14', 0], ['2026-03-15', 45],
  ]);
  assert.deepEqual(week.rows.map((r: any) => [r.projectName, r.taskName, r.minutes, r.totalMinutes]), [
    ['Audit', null, [0, 0, 0, 0, 0, 0, 45], 45],
    ['Website', null, [45, 0, 0, 0, 0, 0, 0], 45],
    ['Website', 'Design', [0, 0, 120, 0, 0, 0, 0], 120],
  ]);
  const hers = expectStatus(await firm.request('GET', `/v1/time-entries/week?userId=${bea.userId}&date=2026-03-15`), 200);
  assert.deepEqual([hers.weekStart, hers.totalMinutes, hers.days[1].minutes], ['2026-03-09', 480, 480]);
  const before = expectStatus(await firm.request('GET', '/v1/time-entries/week?date=2026-03-08'), 200);
  assert.deepEqual([before.weekStart, before.totalMinutes], ['2026-03-02', 60]);
  assertProblem(await firm.request('GET', '/v1/time-entries/week?date=2026-02-30'), { status: 400, code: 'invalid_request', field: 'date' });
});

test('the timer: one running per person; stopping makes an entry; switching stops the running one first', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const { project } = await hourlyProject(firm);
  const task = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Support', billable: false }), 201);
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/timer'), 200), { timer: null });
  assertProblem(await firm.request('POST', '/v1/timer/stop'), { status: 409, code: 'no_timer_running' });

  const started = expectStatus(await firm.request('POST', '/v1/timer/start', { projectId: project.id, taskId: task.id, description: 'Call' }), 201);
  assert.deepEqual([started.projectId, started.taskId, started.billable, started.startedAt], [project.id, task.id, false, '2026-03-10T10:00:00.000Z']);
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/timer'), 200).timer, started);
  assertProblem(await firm.request('POST', '/v1/timer/start', { projectId: project.id }), { status: 409, code: 'timer_running' });
  // Bea's timer is her own.
  expectStatus(await bea.request('POST', '/v1/timer/start', { projectId: project.id }), 201);

  const stopped = await atTime('2026-03-10T10:25:29Z', async () => expectStatus(await firm.request('POST', '/v1/timer/stop'), 200));
  assert.deepEqual(
    [stopped.minutes, stopped.date, stopped.start, stopped.end, stopped.description, stopped.taskId, stopped.billable, stopped.userId],
    [25, '2026-03-10', '2026-03-10T10:00:00.000Z', '2026-03-10T10:25:29.000Z', 'Call', task.id, false, await ownerId(firm)],
  );
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/timer'), 200), { timer: null });
  assert.notEqual(expectStatus(await bea.request('GET', '/v1/timer'), 200).timer, null);

  const fresh = expectStatus(await firm.request('POST', '/v1/timer/switch', { projectId: project.id }), 201);
  assert.equal(fresh.stopped, null);
  const switched = await atTime('2026-03-10T11:00:00Z', async () => expectStatus(await firm.request('POST', '/v1/timer/switch', { projectId: project.id, description: 'Next' }), 201));
  assert.deepEqual([switched.stopped.minutes, switched.timer.description, switched.timer.startedAt], [60, 'Next', '2026-03-10T11:00:00.000Z']);

  assert.equal((await firm.request('DELETE', '/v1/timer')).status, 204);
  assertProblem(await firm.request('DELETE', '/v1/timer'), { status: 409, code: 'no_timer_running' });
  const entries = expectStatus(await firm.request('GET', `/v1/time-entries?userId=${await ownerId(firm)}`), 200).data;
  assert.deepEqual(entries.map((e: any) => e.minutes).sort(), [25, 60]);
});

test('a timer left running for more than a day is refused when stopped; discard it instead', async () => {
  const firm = await api.tenant();
  const { project } = await hourlyProject(firm);
  expectStatus(await firm.request('POST', '/v1/timer/start', { projectId: project.id }), 201);
  await atTime('2026-03-11T10:01:00Z', async () => {
    assertProblem(await firm.request('POST', '/v1/timer/stop'), { status: 409, code: 'timer_too_long' });
    assertProblem(await firm.request('POST', '/v1/timer/switch', { projectId: project.id }), { status: 409, code: 'timer_too_long' });
  });
  assert.notEqual(expectStatus(await firm.request('GET', '/v1/timer'), 200).timer, null, 'a refused stop changes nothing');
  assert.equal((await firm.request('DELETE', '/v1/timer')).status, 204);
  // The table allows one timer per person, whatever the code does.
  expectStatus(await firm.request('POST', '/v1/timer/start', { projectId: project.id }), 201);
  const owner = await ownerId(firm);
  await assert.rejects(api.db.pool.query(
    `insert into timers (user_id, organization_id, project_id, billable, started_at) values ($1, $2, $3, true, now())`, [owner, firm.organizationId, project.id],
  ), /duplicate key/);
});
