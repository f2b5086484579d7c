/**
 * The real CLI (`node bin/accrue.js ...`) as a child process, on a fresh test database given as
 * DATABASE_URL. The tests run in order and build on each other: init, customers, invoices, ledger,
 * then a second organization.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const db = await createTestDatabase();
after(() => db.drop());

type Run = { code: number; stdout: string; stderr: string };

/** Runs `accrue ...args` against the test database; never throws, so exit codes can be asserted. */
function accrue(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const inherited = { ...process.env };
  for (const name of ['ACCRUE_ORGANIZATION', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete inherited[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/accrue.js', ...args], { cwd: root, env: { ...inherited, DATABASE_URL: db.connectionString, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Parses the --json output of a run that must have succeeded. */
function json(run: Run): any {
  assert.equal(run.code, 0, `exit code 0 expected; stderr: ${run.stderr}`);
  try {
    return JSON.parse(run.stdout);
  } catch {
    assert.fail(`stdout is not JSON: ${run.stdout}`);
  }
}

/** A refusal: exit code 2, one `accrue: ...` line on stderr, no stack trace. */
function assertRefused(run: Run, message: RegExp): void {
  assert.equal(run.code, 2, `exit code 2 expected; stdout: ${run.stdout} stderr: ${run.stderr}`);
  assert.match(run.stderr, /^accrue: /);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

const state = { organizationId: '', apiKey: '', customerId: '', invoiceId: '', invoiceNumber: '' };

test('init --json prints the new organization, its owner and an API key that works on the API', async () => {
  const created = json(await accrue(['init', '--org', 'Acme GmbH', '--currency', 'EUR', '--email', 'a@b.test', '--json']));
  assert.deepEqual(Object.keys(created).sort(), ['apiKey', 'organizationId', 'userId']);
  assert.match(created.organizationId, /^org_[0-9a-z]{26}$/);
  assert.match(created.userId, /^usr_[0-9a-z]{26}$/);
  assert.match(created.apiKey, /^acr_[A-Za-z0-9_-]{32}$/);
  Object.assign(state, { organizationId: created.organizationId, apiKey: created.apiKey });

  const app = await buildApp({ pool: db.pool, clock: systemClock });
  try {
    const response = await app.inject({ method: 'GET', url: '/v1/organization', headers: { authorization: `Bearer ${created.apiKey}` } });
    assert.equal(response.statusCode, 200);
    assert.deepEqual([response.json().id, response.json().legalName, response.json().baseCurrency], [created.organizationId, 'Acme GmbH', 'EUR']);
  } finally {
    await app.close();
  }
});

test('customers create --json prints the customer; customers list --json lists it', async () => {
  const customer = json(await accrue(['customers', 'create', '--name', 'Globex', '--email', 'ap@globex.test', '--currency', 'EUR', '--terms', '14', '--json']));
  assert.match(customer.id, /^cus_/);
  assert.deepEqual([customer.name, customer.email, customer.currency, customer.paymentTermsDays], ['Globex', 'ap@globex.test', 'EUR', 14]);
  state.customerId = customer.id;

  const list = json(await accrue(['customers', 'list', '--json']));
  assert.ok(Array.isArray(list));
  assert.deepEqual(list.map((c: any) => [c.id, c.name]), [[customer.id, 'Globex']]);
});

test('invoices create --line "Work|2|50.00" --json prints a draft of 100.00', async () => {
  assert.ok(state.customerId, 'needs the customer of the test before');
  const draft = json(await accrue(['invoices', 'create', '--customer', state.customerId, '--line', 'Work|2|50.00', '--json']));
  assert.match(draft.id, /^inv_/);
  assert.deepEqual([draft.status, draft.number, draft.customerId, draft.currency, draft.total], ['draft', null, state.customerId, 'EUR', '100.00']);
  assert.deepEqual(draft.lines.map((l: any) => [l.description, l.quantity, l.unitPrice, l.amount]), [['Work', '2', '50', '100.00']]);
  state.invoiceId = draft.id;
});

test('invoices issue ID --json gives the invoice its number', async () => {
  assert.ok(state.invoiceId, 'needs the draft of the test before');
  const issued = json(await accrue(['invoices', 'issue', state.invoiceId, '--json']));
  assert.equal(issued.id, state.invoiceId);
  assert.equal(issued.status, 'open');
  assert.match(issued.number, /^INV-\d{4}-0001$/);
  assert.match(issued.issueDate, /^\d{4}-\d{2}-\d{2}$/);
  state.invoiceNumber = issued.number;
});

test('invoices list --json, ledger verify (exit 0) and ledger verify --json (ok: true)', async () => {
  const [list, verify, verifyJson] = await Promise.all([
    accrue(['invoices', 'list', '--json']), accrue(['ledger', 'verify']), accrue(['ledger', 'verify', '--json']),
  ]);
  const invoices = json(list);
  assert.deepEqual(invoices.map((i: any) => [i.id, i.number, i.status, i.total, i.amountDue]), [[state.invoiceId, state.invoiceNumber, 'open', '100.00', '100.00']]);

  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /^ok\s+every journal entry balances$/m);
  assert.doesNotMatch(verify.stdout, /FAIL/);

  const result = json(verifyJson);
  assert.equal(result.ok, true);
  assert.ok(result.checks.length >= 3 && result.checks.every((check: any) => check.ok));
});

test('users set-password takes the password from ACCRUE_PASSWORD, and then the owner can sign in', async () => {
  const run = await accrue(['users', 'set-password', '--email', 'a@b.test'], { ACCRUE_PASSWORD: 'a long enough secret' });
  assert.equal(run.code, 0, run.stderr);
  assertRefused(await accrue(['users', 'set-password', '--email', 'a@b.test'], { ACCRUE_PASSWORD: 'short' }), /at least 10 characters/);
  const app = await buildApp({ pool: db.pool, clock: systemClock });
  try {
    const signIn = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'a@b.test', password: 'a long enough secret' } });
    assert.equal(signIn.statusCode, 200, signIn.body);
    assert.equal(signIn.json().organization.id, state.organizationId);
  } finally {
    await app.close();
  }
});

test('refusals print "accrue: <detail>" and exit with code 2, creating nothing', async () => {
  const [unknownCustomer, issuedTwice] = await Promise.all([
    accrue(['invoices', 'create', '--customer', 'cus_nope', '--line', 'Work|1|10.00', '--json']),
    accrue(['invoices', 'issue', state.invoiceId]),
  ]);
  assertRefused(unknownCustomer, /customerId: no customer with id cus_nope/);
  assertRefused(issuedTwice, /already issued/);
  const { rows } = await db.pool.query('select count(*)::int as n from invoices');
  assert.equal(rows[0].n, 1, 'the refusals created no invoice');
});

test('after a second init, commands without --org fail with a clear message and exit code 2; --org or ACCRUE_ORGANIZATION selects one', async () => {
  const second = json(await accrue(['init', '--org', 'Beta Ltd', '--currency', 'GBP', '--email', 'b@b.test', '--json']));
  assert.notEqual(second.organizationId, state.organizationId);

  const [withoutOrg, firstByFlag, secondByEnvironment] = await Promise.all([
    accrue(['customers', 'list', '--json']),
    accrue(['customers', 'list', '--org', state.organizationId, '--json']),
    accrue(['invoices', 'list', '--json'], { ACCRUE_ORGANIZATION: second.organizationId }),
  ]);
  assertRefused(withoutOrg, /Several organizations exist; pass --org/);
  assert.ok(withoutOrg.stderr.includes(state.organizationId) && withoutOrg.stderr.includes(second.organizationId), 'the message names the organizations');
  assert.equal(withoutOrg.stdout, '');
  assert.deepEqual(json(firstByFlag).map((c: any) => c.name), ['Globex']);
  assert.deepEqual(json(secondByEnvironment), [], "ACCRUE_ORGANIZATION picks the second organization, which sees none of the first one's invoices");
});
