/**
 * Work is isolated per organization: A never reads or changes B's projects, tasks, rules, time,
 * expenses or receipts (404 for ids in the path, 422 naming the field for ids in a body), and
 * A's lists and unbilled work never show B's rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, createProject, logTime } from '../helpers/work.ts';

const api = await createTestApi('2026-03-10T10:00:00Z');
const a = await api.tenant({ name: 'Organization A' });
const b = await api.tenant({ name: 'Organization B' });

async function populate(firm: Tenant, label: string) {
  const person = await addPerson(api, firm, { email: `person@${label}.test` });
  const customer = await createCustomer(firm, { name: `${label} Customer` });
  const project = await createProject(firm, customer.id, { name: `${label} Project`, requiresApproval: true });
  const task = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: `${label} Task`, rate: '99' }), 201);
  const rule = expectStatus(await firm.request('POST', '/v1/rate-rules', { userId: person.userId, rate: '77' }), 201);
  const entry = await logTime(person, project.id, 60, '2026-03-02', { taskId: task.id });
  const expense = expectStatus(await firm.request('POST', '/v1/expenses', {
    projectId: project.id, date: '2026-03-02', amount: '10.00', category: `${label} Secret`, receipt: { filename: 'r.pdf', contentType: 'application/pdf', data: 'JVBERg==' },
  }), 201);
  return { person, customer, project, task, rule, entry, expense };
}

const mine = await populate(a, 'A');
const theirs = await populate(b, 'B');

test("A cannot read or change B's work: 404, as if it did not exist", async () => {
  const attempts: Array<[string, string, unknown, string]> = [
    ['GET', `/v1/projects/${theirs.project.id}`, undefined, 'project_not_found'],
    ['PATCH', `/v1/projects/${theirs.project.id}`, { name: 'Mine now' }, 'project_not_found'],
    ['GET', `/v1/projects/${theirs.project.id}/tasks`, undefined, 'project_not_found'],
    ['POST', `/v1/projects/${theirs.project.id}/tasks`, { name: 'Sneaky' }, 'project_not_found'],
    ['PATCH', `/v1/tasks/${theirs.task.id}`, { rate: '1' }, 'task_not_found'],
    ['DELETE', `/v1/rate-rules/${theirs.rule.id}`, undefined, 'rate_rule_not_found'],
    ['GET', `/v1/time-entries/${theirs.entry.id}`, undefined, 'time_entry_not_found'],
    ['PATCH', `/v1/time-entries/${theirs.entry.id}`, { minutes: 1 }, 'time_entry_not_found'],
    ['DELETE', `/v1/time-entries/${theirs.entry.id}`, undefined, 'time_entry_not_found'],
    ['GET', `/v1/expenses/${theirs.expense.id}`, undefined, 'expense_not_found'],
    ['GET', `/v1/expenses/${theirs.expense.id}/receipt`, undefined, 'expense_not_found'],
    ['PATCH', `/v1/expenses/${theirs.expense.id}`, { amount: '1.00' }, 'expense_not_found'],
    ['DELETE', `/v1/expenses/${theirs.expense.id}`, undefined, 'expense_not_found'],
  ];
  for (const [method, url, body, code] of attempts) {
    const response = await a.request(method, url, body);
    assertProblem(response, { status: 404, code });
    assert.ok(!JSON.stringify(response.body).includes('B '), `no data of B in ${method} ${url}`);
  }
  const read = expectStatus(await b.request('GET', `/v1/time-entries/${theirs.entry.id}`), 200);
  assert.deepEqual([read.minutes, read.description], [60, 'Work'], "B's entry is unchanged");
});

test("B's ids in A's request bodies are 422, naming the field", async () => {
  const attempts: Array<[string, string, Record<string, unknown>, string, string]> = [
    ['POST', '/v1/projects', { customerId: theirs.customer.id, name: 'X', billing: { model: 'hourly' } }, 'customerId', 'customer_not_found'],
    ['POST', '/v1/time-entries', { projectId: theirs.project.id, date: '2026-03-02', minutes: 5 }, 'projectId', 'project_not_found'],
    ['POST', '/v1/time-entries', { projectId: mine.project.id, taskId: theirs.task.id, date: '2026-03-02', minutes: 5 }, 'taskId', 'task_not_found'],
    ['POST', '/v1/time-entries', { projectId: mine.project.id, userId: theirs.person.userId, date: '2026-03-02', minutes: 5 }, 'userId', 'user_not_found'],
    ['PATCH', `/v1/time-entries/${mine.entry.id}`, { projectId: theirs.project.id }, 'projectId', 'project_not_found'],
    ['POST', '/v1/timer/start', { projectId: theirs.project.id }, 'projectId', 'project_not_found'],
    ['POST', '/v1/expenses', { projectId: theirs.project.id, date: '2026-03-02', amount: '1.00', category: 'X' }, 'projectId', 'project_not_found'],
    ['POST', '/v1/rate-rules', { projectId: theirs.project.id, rate: '1' }, 'projectId', 'project_not_found'],
    ['POST', '/v1/rate-rules', { taskId: theirs.task.id, rate: '1' }, 'taskId', 'task_not_found'],
    ['POST', '/v1/rate-rules', { userId: theirs.person.userId, rate: '1' }, 'userId', 'user_not_found'],
    ['POST', '/v1/approvals', { userId: theirs.person.userId, weekStart: '2026-03-02', decision: 'approved' }, 'userId', 'user_not_found'],
    ['POST', '/v1/invoices/from-unbilled', { customerId: theirs.customer.id }, 'customerId', 'customer_not_found'],
    ['POST', '/v1/invoices/from-unbilled', { customerId: mine.customer.id, projectIds: [theirs.project.id] }, 'projectIds.0', 'project_not_found'],
  ];
  for (const [method, url, body, field, code] of attempts) {
    assertProblem(await a.request(method, url, body), { status: 422, code, field });
  }
  assertProblem(await a.request('GET', `/v1/unbilled?projectIds=${theirs.project.id}`), { status: 422, code: 'project_not_found', field: 'projectIds.0' });
  assertProblem(await a.request('GET', `/v1/time-entries/week?userId=${theirs.person.userId}`), { status: 422, code: 'user_not_found', field: 'userId' });
});

test("A's lists, pending approvals and unbilled work never include B's rows, even when filtered by B's ids", async () => {
  const bIds = new Set(Object.values(theirs).map((record: any) => record.id ?? record.userId));
  const lists = [
    '/v1/projects', `/v1/projects?customerId=${theirs.customer.id}`, '/v1/time-entries', `/v1/time-entries?projectId=${theirs.project.id}`,
    `/v1/time-entries?userId=${theirs.person.userId}`, `/v1/time-entries?customerId=${theirs.customer.id}`, '/v1/expenses',
    `/v1/expenses?projectId=${theirs.project.id}`, '/v1/rate-rules', `/v1/rate-rules?projectId=${theirs.project.id}`, '/v1/approvals/pending',
    `/v1/approvals/pending?userId=${theirs.person.userId}`, '/v1/approvals', `/v1/unbilled?customerId=${theirs.customer.id}`,
  ];
  for (const url of lists) {
    const body = expectStatus(await a.request('GET', url), 200);
    const text = JSON.stringify(body);
    for (const id of bIds) assert.ok(!text.includes(id), `${url} leaks ${id}`);
    if (url.includes(theirs.customer.id) || url.includes(theirs.project.id) || url.includes(theirs.person.userId)) assert.deepEqual(body.data, [], url);
  }
  const pending = expectStatus(await a.request('GET', '/v1/approvals/pending'), 200).data;
  assert.deepEqual(pending.map((w: any) => w.userId), [mine.person.userId]);
});
