/**
 * A billing run killed halfway (SIGKILL, in a child process) and run again: batches that committed
 * stay billed, the one in flight leaves nothing behind, and the rerun bills the rest, so that in
 * the end every due period is billed exactly once.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBilling } from '../../src/modules/billing/index.ts';
import { createCustomer } from '../../src/modules/customers/index.ts';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { createSubscription } from '../../src/modules/subscriptions/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const db = await createTestDatabase();
after(() => db.drop());
const clock = fixedClock('2026-03-01T12:00:00Z');

/** Starts the run in a child process and SIGKILLs it as soon as its first batch has committed. */
function runAndKill(organizationId: string): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CRASH_DATABASE_URL: db.connectionString, CRASH_ORGANIZATION: organizationId, CRASH_DATE: '2026-03-01', CRASH_BATCH: '10' };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/billing/crash-run.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (output.includes('committed 1\n')) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (_, signal) => resolve({ output, signal })));
}

test('a run killed after its first batch, run again: every period billed exactly once', async () => {
  const { organizationId } = await createOrganization(db.pool, { legalName: 'Crash Test', baseCurrency: 'EUR', ownerEmail: 'o@crash.example', timeZone: 'UTC' });
  for (let i = 0; i < 50; i++) {
    const customer = await createCustomer(db.pool, organizationId, { name: `Customer ${i}`, currency: 'EUR' });
    await createSubscription(db.pool, clock, organizationId, {
      customerId: customer.id, items: [{ description: 'Plan', unitPrice: '20.00', quantity: String(1 + (i % 3)) }],
      interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance',
    });
  }

  const killed = await runAndKill(organizationId);
  assert.equal(killed.signal, 'SIGKILL');
  assert.doesNotMatch(killed.output, /finished/);
  const state = async () => (await db.pool.query(
    `select (select count(*) from billing_run_items where organization_id = $1)::int as claims,
            (select count(*) from invoices where organization_id = $1)::int as invoices,
            (select count(*) from subscriptions where organization_id = $1 and billed_through is not null)::int as watermarks,
            (select count(*) from billing_runs where organization_id = $1 and finished_at is null)::int as unfinished,
            (select coalesce(sum(invoices_created), 0)::int from billing_runs where organization_id = $1) as counted`,
    [organizationId],
  )).rows[0];
  const afterKill = await state();
  // The committed batches stand, and nothing of the batch in flight: claims, drafts, watermarks and counts agree.
  assert.ok(afterKill.claims >= 10 && afterKill.claims < 50, `some but not all billed: ${JSON.stringify(afterKill)}`);
  assert.equal(afterKill.claims % 10, 0, 'whole batches only');
  assert.deepEqual(afterKill, { claims: afterKill.claims, invoices: afterKill.claims, watermarks: afterKill.claims, unfinished: 1, counted: afterKill.claims });

  const rerun = await runBilling(db.pool, clock, organizationId, { date: '2026-03-01', batchSize: 10 });
  assert.equal(rerun.invoicesCreated, 50 - afterKill.claims);
  const end = await state();
  assert.deepEqual(end, { claims: 50, invoices: 50, watermarks: 50, unfinished: 1, counted: 50 });
  const { rows } = await db.pool.query(
    `select count(distinct customer_id)::int as customers, sum(total_minor)::bigint::text as total from invoices where organization_id = $1`, [organizationId],
  );
  assert.deepEqual(rows[0], { customers: 50, total: String(17 * 2000 + 17 * 4000 + 16 * 6000) });
  assert.equal((await runBilling(db.pool, clock, organizationId, { date: '2026-03-01' })).invoicesCreated, 0);
});
