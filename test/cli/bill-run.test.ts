/**
 * `accrue bill-run` as a child process on a fresh test database: dry run, the run, a rerun, JSON
 * and table output, refusals. The CLI's clock is the real one, so the dates here lie in the past.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCustomer } from '../../src/modules/customers/index.ts';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { createSubscription } from '../../src/modules/subscriptions/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const db = await createTestDatabase();
after(() => db.drop());

type Run = { code: number; stdout: string; stderr: string };

function accrue(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.connectionString };
  for (const name of ['ACCRUE_ORGANIZATION', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete env[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/accrue.js', ...args], { cwd: root, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const { organizationId } = await createOrganization(db.pool, { legalName: 'CLI Billing', baseCurrency: 'EUR', ownerEmail: 'o@cli.example', timeZone: 'UTC' });
for (const [name, price] of [['Globex', '100.00'], ['Initech', '25.50']] as const) {
  const customer = await createCustomer(db.pool, organizationId, { name, currency: 'EUR' });
  await createSubscription(db.pool, fixedClock('2026-01-01T00:00:00Z'), organizationId, {
    customerId: customer.id, items: [{ description: 'Plan', unitPrice: price }], interval: 'monthly', startDate: '2026-01-01', billingTiming: 'advance',
  });
}

test('bill-run --dry-run --json shows what would be billed and writes nothing', async () => {
  const run = await accrue(['bill-run', '--date', '2026-01-01', '--dry-run', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual([result.dryRun, result.invoicesCreated, result.invoices.map((i: any) => i.total).sort()], [true, 2, ['100.00', '25.50']]);
  assert.equal((await db.pool.query('select count(*)::int as n from invoices')).rows[0].n, 0);
});

test('bill-run prints a table and a summary; run again, it bills nothing', async () => {
  const run = await accrue(['bill-run', '--date', '2026-01-01']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^INVOICE\s+CUSTOMER\s+CHARGES\s+TOTAL/);
  assert.match(run.stdout, /100\.00 EUR/);
  assert.match(run.stdout, /Created 2 draft invoices for 2 charges on 2026-01-01\./);
  const again = JSON.parse((await accrue(['bill-run', '--date', '2026-01-01', '--json'])).stdout);
  assert.deepEqual([again.invoicesCreated, again.chargesBilled], [0, 0]);
  const catchUp = JSON.parse((await accrue(['bill-run', '--date', '2026-03-01', '--json'])).stdout);
  assert.deepEqual([catchUp.invoicesCreated, catchUp.chargesBilled], [2, 4]);
});

test('bad dates and batch sizes are refused with exit code 2', async () => {
  for (const args of [['--date', '2026-02-30'], ['--date', '2999-01-01'], ['--batch', 'ten']]) {
    const run = await accrue(['bill-run', ...args]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout} ${run.stderr}`);
    assert.match(run.stderr, /^accrue: /);
  }
});

test('bill-run --issue issues the drafts the run created and says so', async () => {
  const run = await accrue(['bill-run', '--date', '2026-04-01', '--issue']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Created 2 draft invoices for 2 charges on 2026-04-01\./);
  assert.match(run.stdout, /Issued 2 of 2 invoices\./);
  const { rows } = await db.pool.query(`select count(*)::int as n from invoices where state = 'issued'`);
  assert.equal(rows[0].n, 2);
});
