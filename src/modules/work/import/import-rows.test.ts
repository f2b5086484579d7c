import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImportFile } from './import-rows.ts';
import { CellError, minutesFromClock, minutesFromHours, minutesFromText, parseDate } from './row.ts';

const BOM = '\uFEFF';

test('HH:MM:SS durations become whole minutes, 30 seconds and more rounding up', () => {
  const cases: Array<[string, number]> = [
    ['00:01:00', 1], ['00:00:30', 1], ['00:01:29', 1], ['00:01:30', 2], ['01:30:00', 90], ['1:30:00', 90], ['08:00:00', 480],
    ['02:15', 135], ['23:59:59', 1440], ['24:00:00', 1440], ['00:59:30', 60],
  ];
  for (const [text, minutes] of cases) assert.equal(minutesFromClock(text, 'Duration'), minutes, text);
});

test('decimal hours become whole minutes exactly, half a minute rounding up', () => {
  const cases: Array<[string, number]> = [
    // 0.008334 h = 30.0024 s: half a minute and more rounds up; 0.0125 h = 45 s; 0.025 h = 1.5 min exactly.
    ['1', 60], ['1.5', 90], ['0.25', 15], ['0.1', 6], ['0.01', 1], ['0.008334', 1], ['0.0125', 1], ['0.025', 2], ['7.75', 465],
    ['2.33', 140], ['0.125', 8], ['24', 1440], ['0.3333333333', 20],
  ];
  for (const [text, minutes] of cases) assert.equal(minutesFromHours(text, 'Hours'), minutes, text);
  // 0.008333 h = 29.9988 s: less than half a minute, so no minute at all.
  assert.throws(() => minutesFromHours('0.008333', 'Hours'), CellError);
  assert.equal(minutesFromText('90', 'minutes'), 90);
});

test('bad durations are refused naming the column', () => {
  for (const text of ['1:5:00', 'abc', '-01:00:00', '00:00:29', '25:00:00']) {
    assert.throws(() => minutesFromClock(text, 'Duration'), (error: CellError) => error.column === 'Duration', text);
  }
  for (const text of ['1,5', '1e2', '-1', '', '.5', '25']) {
    assert.throws(() => minutesFromHours(text, 'Hours'), (error: CellError) => error.column === 'Hours', text);
  }
});

test('dates: ISO everywhere, US month/day/year where the format allows it', () => {
  assert.equal(parseDate('2026-03-02', 'Date'), '2026-03-02');
  assert.equal(parseDate('03/02/2026', 'Start Date', { us: true }), '2026-03-02');
  assert.equal(parseDate('3/2/2026', 'Start Date', { us: true }), '2026-03-02');
  assert.throws(() => parseDate('03/02/2026', 'Date'), CellError);
  assert.throws(() => parseDate('2026-02-30', 'Date'), CellError);
  assert.throws(() => parseDate('13/02/2026', 'Start Date', { us: true }), CellError);
});

const TOGGL = [
  'User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)',
  'Ada Lovelace,ada@example.com,Globex,Website,Design,"Homepage, hero section",Yes,2026-03-02,09:00:00,2026-03-02,10:30:00,01:30:00,,150.00',
  'Ada Lovelace,ada@example.com,Globex,Website,,"Call with client',
  'about the launch",No,2026-03-02,14:00:00,2026-03-02,14:20:40,00:20:40,meeting,0.00',
  '',
].join('\r\n');

test('toggl: BOM, CRLF, quoted commas and newlines; lines counted physically', () => {
  const { rows, errors } = parseImportFile(BOM + TOGGL, 'toggl');
  assert.deepEqual(errors, []);
  assert.equal(rows.length, 2);
  const [first, second] = rows;
  assert.deepEqual(
    { ...first, importKey: undefined },
    { line: 2, date: '2026-03-02', projectName: 'Website', taskName: 'Design', userEmail: 'ada@example.com', minutes: 90, description: 'Homepage, hero section', billable: true, importKey: undefined },
  );
  assert.equal(second!.line, 3);
  assert.equal(second!.description, 'Call with client\r\nabout the launch');
  assert.equal(second!.minutes, 21);
  assert.equal(second!.taskName, undefined);
  assert.equal(second!.billable, false);
  assert.match(first!.importKey, /^[0-9a-f]{64}$/);
});

test('clockify: US dates, HH:MM:SS or decimal durations', () => {
  const csv = [
    '"Project","Client","Description","Task","User","Email","Tags","Billable","Start Date","Start Time","End Date","End Time","Duration (h)","Duration (decimal)","Billable Rate (USD)","Billable Amount (USD)"',
    '"Website","Globex","Wireframes","Design","Ada","ADA@example.com","","Yes","03/02/2026","09:00:00 AM","03/02/2026","11:15:00 AM","02:15:00","2.25","100.00","225.00"',
    '"Website","Globex","Review","","Ada","ada@example.com","","No","03/03/2026","01:00:00 PM","03/03/2026","01:45:00 PM","","0.75","0.00","0.00"',
  ].join('\n');
  const { rows, errors } = parseImportFile(csv, 'clockify');
  assert.deepEqual(errors, []);
  assert.deepEqual(rows.map((r) => [r.line, r.date, r.minutes, r.userEmail, r.taskName, r.billable]), [
    [2, '2026-03-02', 135, 'ada@example.com', 'Design', true],
    [3, '2026-03-03', 45, 'ada@example.com', undefined, false],
  ]);
});

test('harvest: decimal hours, Billable? column, no e-mail', () => {
  const csv = [
    'Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External Reference URL',
    '2026-03-02,Globex,Website,WEB,Development,Built the form,3.5,Yes,No,Ada,Lovelace,,Yes,100,350,50,175,Euro - EUR,',
    '2026-03-03,Globex,Website,WEB,Development,,0.1,No,No,Ada,Lovelace,,Yes,0,0,50,5,Euro - EUR,',
  ].join('\n') + '\n';
  const { rows, errors } = parseImportFile(csv, 'harvest');
  assert.deepEqual(errors, []);
  assert.deepEqual(rows.map((r) => [r.date, r.minutes, r.userEmail, r.description, r.billable]), [
    ['2026-03-02', 210, undefined, 'Built the form', true],
    ['2026-03-03', 6, undefined, '', false],
  ]);
});

test('plain csv: minutes or hours, optional task, e-mail and billable', () => {
  const csv = 'date,project,task,user_email,minutes,hours,description,billable\n2026-03-02,Website,,,45,,Fixes,\n2026-03-03,website,Design,bo@example.com,,1.25,Layout,no\n';
  const { rows, errors } = parseImportFile(csv, 'csv');
  assert.deepEqual(errors, []);
  assert.deepEqual(rows.map((r) => [r.minutes, r.taskName, r.userEmail, r.billable]), [[45, undefined, undefined, undefined], [75, 'Design', 'bo@example.com', false]]);
});

test('row errors name the physical line and the column; good rows are still read', () => {
  const csv = [
    'User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount',
    'Ada,ada@example.com,Globex,Website,,"two',
    'lines",Maybe,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,,',
    'Ada,ada@example.com,Globex,,,x,Yes,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,,',
    'Ada,ada@example.com,Globex,Website,,x,Yes,02/03/2026,09:00:00,2026-03-02,10:00:00,1h,,',
    'Ada,ada@example.com,Globex,Website,,ok,Yes,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,,',
  ].join('\n');
  const { rows, errors } = parseImportFile(csv, 'toggl');
  assert.deepEqual(errors.map((e) => [e.line, e.column]), [[2, 'Billable'], [4, 'Project'], [5, 'Start date']]);
  assert.deepEqual(rows.map((r) => r.line), [6]);
});

test('a header of another format is refused at line 1, naming what is missing', () => {
  const { rows, errors } = parseImportFile('Date,Project,Hours\n2026-03-02,Website,1\n', 'toggl');
  assert.equal(rows.length, 0);
  assert.ok(errors.length > 0 && errors.every((e) => e.line === 1));
  assert.ok(errors.some((e) => e.column === 'Duration'));
  assert.deepEqual(parseImportFile('', 'csv').errors, [{ line: 1, column: '', message: 'The file is empty.' }]);
  const broken = parseImportFile('date,project,minutes\n2026-03-02,"Website,30\n', 'csv');
  assert.equal(broken.rows.length, 0);
  assert.match(broken.errors[0]!.message, /not valid CSV/);
});

test('import keys: the same file gives the same keys; identical rows in one file get different keys', () => {
  const csv = 'date,project,minutes\n2026-03-02,Website,30\n2026-03-02,Website,30\n';
  const once = parseImportFile(csv, 'csv').rows.map((r) => r.importKey);
  const again = parseImportFile(csv.replaceAll('\n', '\r\n'), 'csv').rows.map((r) => r.importKey);
  assert.deepEqual(once, again);
  assert.notEqual(once[0], once[1]);
  assert.notDeepEqual(parseImportFile(csv, 'csv').rows[0]!.importKey, parseImportFile('date,project,minutes\n2026-03-02,Website,31\n', 'csv').rows[0]!.importKey);
});
