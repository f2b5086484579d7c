/**
 * A billing run in a child process, for crash.test.ts: prints `committed <n>` after each batch
 * has committed, and holds every batch open a while after its claims and drafts are written, so
 * that a SIGKILL lands inside a transaction that has written them and not committed.
 *
 *   CRASH_DATABASE_URL=... CRASH_ORGANIZATION=org_... CRASH_DATE=2026-03-01 node --import tsx test/billing/crash-run.ts
 */
import { CHARGE_SOURCES, runBilling, type ChargeSource } from '../../src/modules/billing/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createPool } from '../../src/shared/db.ts';

const pool = createPool(process.env.CRASH_DATABASE_URL!, 2);
const date = process.env.CRASH_DATE!;
const slow: ChargeSource[] = CHARGE_SOURCES.map((source) => ({
  ...source,
  async markBilled(tx, organizationId, billed) {
    await source.markBilled(tx, organizationId, billed);
    await new Promise((resolve) => setTimeout(resolve, 150));
  },
}));
let batches = 0;
await runBilling(pool, fixedClock(`${date}T12:00:00Z`), process.env.CRASH_ORGANIZATION!, {
  date, batchSize: Number(process.env.CRASH_BATCH ?? 10), sources: slow,
  onBatch: () => process.stdout.write(`committed ${++batches}\n`),
});
process.stdout.write('finished\n');
await pool.end();
