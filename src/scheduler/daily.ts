/**
 * The daily billing run. Each organization bills once a day, on its own "today" (its time zone):
 * the scheduler wakes every few minutes and runs billing for every organization whose today has
 * no finished run yet. Billing is idempotent, so a second process doing the same, a restart in
 * the middle, or a run that failed and is tried again on the next tick bills nothing twice.
 */
import type { Clock } from '../shared/clock.ts';
import type { Pool } from '../shared/db.ts';
import { listOrganizations } from '../modules/access/index.ts';
import { finishedRunExists, runBilling, type BillingRunResult } from '../modules/billing/index.ts';
import { todayFor } from '../modules/invoicing/index.ts';

/** Bills the organization's today unless a run for it has finished; null when there was nothing to do. */
export async function billDueToday(pool: Pool, clock: Clock, organizationId: string): Promise<BillingRunResult | null> {
  const today = await todayFor(pool, organizationId, clock);
  if (await finishedRunExists(pool, organizationId, today)) return null;
  return runBilling(pool, clock, organizationId, { date: today });
}

export type DailyBilling = { stop(): Promise<void> };

export type DailyBillingOptions = {
  /** How often to look for organizations whose day has begun (default 5 minutes). */
  everyMs?: number;
  log?: (message: string, error?: unknown) => void;
};

export function startDailyBilling(pool: Pool, clock: Clock, options: DailyBillingOptions = {}): DailyBilling {
  const log = options.log ?? (() => {});
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    for (const { id } of await listOrganizations(pool)) {
      if (stopped) return;
      try {
        const result = await billDueToday(pool, clock, id);
        if (result) log(`billing run ${result.runId} for ${id} on ${result.date}: ${result.invoicesCreated} draft invoices, ${result.chargesBilled} charges`);
      } catch (error) {
        log(`billing run for ${id} failed; the next tick tries again`, error); // one organization's failure does not stop the others
      }
    }
  };
  const wake = () => {
    if (stopped || current) return;
    current = tick().catch((error) => log('billing scheduler failed', error)).finally(() => { current = null; });
  };
  // unref: a pending tick never keeps the process alive on its own.
  const first = setTimeout(wake, 1000).unref();
  const timer = setInterval(wake, options.everyMs ?? 5 * 60_000).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await current;
    },
  };
}
