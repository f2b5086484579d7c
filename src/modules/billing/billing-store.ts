import type { IsoDate } from '../../shared/calendar.ts';
import { transpose, type Queryable, type Tx } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Charge } from './charge.ts';

export type BillingRun = {
  id: string;
  date: IsoDate;
  startedAt: string;
  finishedAt: string | null;
  customersProcessed: number;
  chargesBilled: number;
  invoicesCreated: number;
};

function runFromRow(row: Record<string, any>): BillingRun {
  return {
    id: row.id, date: row.run_date, startedAt: row.started_at.toISOString(), finishedAt: row.finished_at?.toISOString() ?? null,
    customersProcessed: row.customers_processed, chargesBilled: row.charges_billed, invoicesCreated: row.invoices_created,
  };
}

export const keyOf = (charge: Pick<Charge, 'contractType' | 'contractId' | 'periodStart'>) => `${charge.contractType}|${charge.contractId}|${charge.periodStart}`;

export async function insertRun(db: Queryable, organizationId: string, date: IsoDate): Promise<string> {
  const id = newId('brn');
  await db.query(`insert into billing_runs (id, organization_id, run_date) values ($1, $2, $3)`, [id, organizationId, date]);
  return id;
}

/** Adds a committed batch's counts, inside that batch's transaction, so an interrupted run still tells the truth. */
export async function addToRun(tx: Tx, runId: string, counts: { customers: number; charges: number; invoices: number }): Promise<void> {
  await tx.query(
    `update billing_runs set customers_processed = customers_processed + $2, charges_billed = charges_billed + $3,
       invoices_created = invoices_created + $4 where id = $1`,
    [runId, counts.customers, counts.charges, counts.invoices],
  );
}

export async function finishRun(db: Queryable, runId: string): Promise<BillingRun> {
  const { rows } = await db.query(`update billing_runs set finished_at = now() where id = $1 returning *`, [runId]);
  return runFromRow(rows[0]);
}

export async function findRun(db: Queryable, organizationId: string, id: string): Promise<BillingRun> {
  const { rows } = await db.query(`select * from billing_runs where organization_id = $1 and id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('billing_run', id);
  return runFromRow(rows[0]);
}

export async function listRunRows(db: Queryable, organizationId: string, limit: number): Promise<BillingRun[]> {
  const { rows } = await db.query(`select * from billing_runs where organization_id = $1 order by id desc limit $2`, [organizationId, limit]);
  return rows.map(runFromRow);
}

/** Whether a run for this date has finished: the daily scheduler's "done for today". */
export async function finishedRunExists(db: Queryable, organizationId: string, date: IsoDate): Promise<boolean> {
  const { rows } = await db.query(
    `select exists (select 1 from billing_runs where organization_id = $1 and run_date = $2 and finished_at is not null) as done`,
    [organizationId, date],
  );
  return rows[0].done;
}

/**
 * Claims the charges for this run: one row per (contract type, contract, period start), written
 * only where none exists. Returns the keys this run won; a key another run holds (committed, or
 * still in flight: the insert waits for it) is not returned, and that charge is not billed here.
 */
export async function claimCharges(
  tx: Tx, organizationId: string, runId: string, charges: Array<Charge & { invoiceId: string }>,
): Promise<Set<string>> {
  if (charges.length === 0) return new Set();
  const { rows } = await tx.query(
    `insert into billing_run_items (organization_id, billing_run_id, contract_type, contract_id, period_start, period_end, customer_id, invoice_id)
     select $1, $2, * from unnest($3::text[], $4::text[], $5::date[], $6::date[], $7::text[], $8::text[])
     on conflict (contract_type, contract_id, period_start) do nothing
     returning contract_type, contract_id, period_start`,
    [organizationId, runId, ...transpose(charges.map((c) => [c.contractType, c.contractId, c.periodStart, c.periodEnd, c.customerId, c.invoiceId]))],
  );
  return new Set(rows.map((row) => keyOf({ contractType: row.contract_type, contractId: row.contract_id, periodStart: row.period_start })));
}

/** The keys among `charges` that are billed already: what a dry run leaves out. */
export async function claimedKeys(db: Queryable, charges: Charge[]): Promise<Set<string>> {
  if (charges.length === 0) return new Set();
  const { rows } = await db.query(
    `select b.contract_type, b.contract_id, b.period_start from billing_run_items b
     join unnest($1::text[], $2::text[], $3::date[]) as t(contract_type, contract_id, period_start) using (contract_type, contract_id, period_start)`,
    transpose(charges.map((c) => [c.contractType, c.contractId, c.periodStart])),
  );
  return new Set(rows.map((row) => keyOf({ contractType: row.contract_type, contractId: row.contract_id, periodStart: row.period_start })));
}

/** Gives back claims this run made in its open transaction, for charges it decided not to bill after all. */
export async function releaseClaims(tx: Tx, runId: string, charges: Charge[]): Promise<void> {
  await tx.query(
    `delete from billing_run_items b using unnest($2::text[], $3::text[], $4::date[]) as t(contract_type, contract_id, period_start)
     where b.billing_run_id = $1 and (b.contract_type, b.contract_id, b.period_start) = (t.contract_type, t.contract_id, t.period_start)`,
    [runId, ...transpose(charges.map((c) => [c.contractType, c.contractId, c.periodStart]))],
  );
}

/** Claims whose charges were credited rather than invoiced: they stay claimed, on no draft. */
export async function detachClaims(tx: Tx, runId: string, charges: Charge[]): Promise<void> {
  await tx.query(
    `update billing_run_items b set invoice_id = null from unnest($2::text[], $3::text[], $4::date[]) as t(contract_type, contract_id, period_start)
     where b.billing_run_id = $1 and (b.contract_type, b.contract_id, b.period_start) = (t.contract_type, t.contract_id, t.period_start)`,
    [runId, ...transpose(charges.map((c) => [c.contractType, c.contractId, c.periodStart]))],
  );
}

/** The customer's latest issued invoice, in the currency, that billed one of these contracts. */
export async function lastIssuedInvoiceOf(
  db: Queryable, organizationId: string, of: { customerId: string; currency: string; contractIds: string[] },
): Promise<string | null> {
  const { rows } = await db.query(
    `select i.id from billing_run_items b join invoices i on i.id = b.invoice_id
     where b.organization_id = $1 and b.contract_id = any($2::text[]) and i.customer_id = $3 and i.currency = $4 and i.state = 'issued'
     order by i.issue_date desc, i.number desc limit 1`,
    [organizationId, of.contractIds, of.customerId, of.currency],
  );
  return rows[0]?.id ?? null;
}
