import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, hourlyProject, ownerId } from '../helpers/work.ts';

const api = await createTestApi();
const firm = await api.tenant();
const owner = await ownerId(firm);
const ada = await addPerson(api, firm, { email: 'ada@example.com' });
const { project } = await hourlyProject(firm, '100', { name: 'Website' });
const design = expectStatus(await firm.request('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design', billable: false }), 201);

const entries = async (projectId = project.id) => expectStatus(await firm.request('GET', `/v1/time-entries?projectId=${projectId}&limit=200`), 200).data;
const importTime = (body: Record<string, unknown>, as = firm) => as.request('POST', '/v1/imports/time', body);
const countRows = async () => Number((await api.db.pool.query(`select count(*) from time_entries where organization_id = $1`, [firm.organizationId])).rows[0].count);

const FILES = {
  toggl: '\uFEFFUser,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)\r\n'
    + 'Ada,ada@example.com,Globex,website,design,"Hero, v2",Yes,2026-03-02,09:00:00,2026-03-02,10:30:00,01:30:00,,150.00\r\n',
  clockify: 'Project,Client,Description,Task,User,Email,Tags,Billable,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate (EUR),Billable Amount (EUR)\n'
    + 'Website,Globex,"Call\nnotes",,Ghost,ghost@example.com,,No,03/03/2026,09:00 AM,03/03/2026,09:45 AM,00:45:00,0.75,0,0\n',
  harvest: 'Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External Reference URL\n'
    + '2026-03-04,Globex,Website,,Design,Mockups,2.5,Yes,No,Ada,Lovelace,,Yes,100,250,0,0,Euro - EUR,\n',
  csv: 'date,project,minutes,description\n2026-03-05,Website,30,Fixes\n',
} as const;

test('each format imports its rows: projects and tasks by name, people by e-mail, else the importing user', async () => {
  const results = [];
  for (const [format, csv] of Object.entries(FILES)) results.push(expectStatus(await importTime({ format, csv }), 200));
  assert.deepEqual(results.map((r) => [r.imported, r.skipped, r.errors.length]), [[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]);
  const byDate = Object.fromEntries((await entries()).map((e: any) => [e.date, e]));
  assert.deepEqual(
    ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'].map((date) => {
      const e = byDate[date];
      return [e.userId, e.taskId, e.minutes, e.description, e.billable];
    }),
    [
      [ada.userId, design.id, 90, 'Hero, v2', true],
      [owner, null, 45, 'Call\nnotes', false], // ghost@ is no one here: the importing user's
      [owner, design.id, 150, 'Mockups', true],
      [owner, null, 30, 'Fixes', true],
    ],
  );
});

test('importing the same file again adds nothing and reports the rows as skipped', async () => {
  const before = await countRows();
  const again = expectStatus(await importTime({ format: 'toggl', csv: FILES.toggl }), 200);
  assert.deepEqual([again.imported, again.skipped], [0, 1]);
  assert.equal(await countRows(), before);
  // Two identical rows in one file are two entries, and stay two on re-import.
  const twice = 'date,project,minutes\n2026-03-06,Website,10\n2026-03-06,Website,10\n';
  assert.deepEqual(pick(expectStatus(await importTime({ format: 'csv', csv: twice }), 200)), [2, 0]);
  assert.deepEqual(pick(expectStatus(await importTime({ format: 'csv', csv: twice + '2026-03-06,Website,10\n' }), 200)), [1, 2]);
});

const pick = (result: any) => [result.imported, result.skipped];

test('one bad row refuses the file: 422 with every error by line and column, nothing imported', async () => {
  const before = await countRows();
  const csv = [
    'date,project,task,minutes,description',
    '2026-03-09,Website,,60,good',
    '2026-03-09,Nope,,60,"unknown',
    'project"',
    '2026-03-09,Website,Painting,60,unknown task',
    '2026-13-09,Website,,sixty,two bad cells',
  ].join('\n');
  const response = await importTime({ format: 'csv', csv });
  assertProblem(response, { status: 422, code: 'import_rejected', field: 'Project' });
  assert.deepEqual(response.body.errors.map((e: any) => [e.line, e.column]), [[3, 'Project'], [5, 'Task'], [6, 'date']]);
  assert.equal(response.body.errorCount, 3);
  assert.ok(response.body.errors.every((e: any) => e.message.length > 0));
  assert.equal(await countRows(), before);
});

test('a dry run previews the rows and marks the ones imported before, writing nothing', async () => {
  const before = await countRows();
  const csv = FILES.toggl + 'Ada,ada@example.com,Globex,Website,,New,No,2026-03-10,09:00:00,2026-03-10,09:10:00,00:10:00,,0\r\n';
  const preview = expectStatus(await importTime({ format: 'toggl', csv, dryRun: true }), 200);
  assert.equal(preview.dryRun, true);
  assert.deepEqual([preview.total, preview.imported, preview.skipped], [2, 0, 1]);
  assert.deepEqual(preview.preview.map((row: any) => [row.line, row.minutes, row.duplicate, row.userEmail]), [[2, 90, true, 'ada@example.com'], [3, 10, false, 'ada@example.com']]);
  assert.equal(await countRows(), before);
});

test('tenancy: another organization sees none of these projects and imports into its own only', async () => {
  const other = await api.tenant({ name: 'Other Firm' });
  const response = await importTime({ format: 'csv', csv: FILES.csv }, other);
  assertProblem(response, { status: 422, code: 'import_rejected' });
  assert.match(response.body.errors[0].message, /no project named "Website"/);
  // An e-mail of the first firm's person does not reach into it.
  const { project: theirs } = await hourlyProject(other, '80', { name: 'Website' });
  expectStatus(await other.request('POST', `/v1/projects/${theirs.id}/tasks`, { name: 'Design' }), 201);
  expectStatus(await importTime({ format: 'toggl', csv: FILES.toggl }, other), 200);
  const [entry] = expectStatus(await other.request('GET', `/v1/time-entries?projectId=${theirs.id}`), 200).data;
  assert.equal(entry.userId, await ownerId(other));
  // The same file was imported by the first firm too: keys are per organization, so it is no duplicate here,
  // and the first firm does not see the other's entry.
  assert.equal((await entries(theirs.id)).length, 0);
});

test('the body is checked: unknown format 400, files larger than 1 MiB are accepted', async () => {
  assert.equal((await importTime({ format: 'excel', csv: 'x' })).status, 400);
  const row = '2026-03-11,Website,1,' + 'x'.repeat(900) + '\n';
  const csv = 'date,project,minutes,description\n' + row.repeat(1500);
  assert.ok(csv.length > 1024 * 1024);
  const result = expectStatus(await importTime({ format: 'csv', csv }), 200);
  assert.deepEqual([result.imported, result.preview.length], [1500, 20]);
});
