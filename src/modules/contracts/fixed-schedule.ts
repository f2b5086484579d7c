/**
 * Fixed-price schedules (contract type 'fixed_milestone', one charge per schedule entry). Dated
 * entries bill on their date, milestones once completed, deposits on their date, each deposit on
 * an invoice of its own. The dated entries and milestones sum to the project's amount exactly;
 * deposits are advances on it (at most the amount in all). Each later invoice of the project
 * deducts what is paid of the deposits and not yet deducted as negative "Less deposit" lines,
 * never more than the deposit nor more than the entry it is deducted from, so no invoice goes
 * below zero. Paid: payments and applied customer credit settled on the deposit's invoice (not
 * credit notes; a void invoice pays nothing), net of tax (paid × net / gross, rounded down), given
 * to that invoice's deposits in schedule order. A deduction is taxed as its deposit's line was.
 * (EN 16931's prepaid amount, BT-113, replaces these lines once e-invoices come.)
 */
import type { IsoDate } from '../../shared/calendar.ts';
import { parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { groupRows } from '../../shared/collections.ts';
import { formatAmount, parseAmount } from '../../shared/money.ts';
import type { Charge, ChargeSource } from '../billing/index.ts';
import { todayFor } from '../invoicing/index.ts';
import { shiftDays } from '../subscriptions/periods.ts';

export const FIXED_CONTRACT_TYPE = 'fixed_milestone';
export const MAX_SCHEDULE_ENTRIES = 100;
export const MAX_ENTRY_DESCRIPTION = 500;

export type ScheduleEntryInput = { description: string; amount: string; dueDate?: string; milestone?: boolean; deposit?: boolean };
export type ScheduleEntry = {
  id: string; position: number; description: string; amount: string; kind: 'date' | 'milestone' | 'deposit';
  dueDate: IsoDate | null; completedOn: IsoDate | null; billed: boolean; invoiceId: string | null;
  /** The invoice's number once issued (null while it is a draft). */
  invoiceNumber: string | null; deducted: string | null;
};
export type Schedule = { projectId: string; currency: string; amount: string; entries: ScheduleEntry[] };

async function fixedProject(db: Queryable, organizationId: string, projectId: string, lock: boolean): Promise<{ currency: string; amountMinor: bigint }> {
  const { rows } = await db.query(
    `select billing from projects where organization_id = $1 and id = $2 ${lock ? 'for no key update' : ''}`, [organizationId, projectId],
  );
  if (!rows[0]) throw notFound('project', projectId);
  const billing = rows[0].billing;
  if (billing.model !== 'fixed') throw conflict('not_a_fixed_price_project', 'Only fixed-price projects have a schedule.');
  return { currency: billing.currency, amountMinor: parseAmount(billing.amount, billing.currency, 'amount') };
}

function entryOf(row: Record<string, any>, currency: string): ScheduleEntry {
  return {
    id: row.id, position: row.position, description: row.description, amount: formatAmount(BigInt(row.amount_minor), currency), kind: row.kind,
    dueDate: row.due_date, completedOn: row.completed_on, billed: row.billed_at !== null, invoiceId: row.invoice_id, invoiceNumber: row.invoice_number ?? null,
    deducted: row.kind === 'deposit' ? formatAmount(BigInt(row.deducted_minor), currency) : null,
  };
}

export async function getSchedule(db: Queryable, organizationId: string, projectId: string): Promise<Schedule> {
  const project = await fixedProject(db, organizationId, projectId, false);
  const { rows } = await db.query(
    `select e.*, i.number as invoice_number from fixed_schedule_entries e left join invoices i on i.id = e.invoice_id
     where e.organization_id = $1 and e.project_id = $2 order by e.position`, [organizationId, projectId],
  );
  return { projectId, currency: project.currency, amount: formatAmount(project.amountMinor, project.currency), entries: rows.map((row) => entryOf(row, project.currency)) };
}

/** Sets (or replaces, while nothing of it is billed) a fixed project's schedule. */
export async function setSchedule(pool: Pool, organizationId: string, projectId: string, input: { entries: ScheduleEntryInput[] }): Promise<Schedule> {
  return inTransaction(pool, (tx) => setScheduleIn(tx, organizationId, projectId, input));
}

/** setSchedule inside the caller's transaction. */
export async function setScheduleIn(tx: Tx, organizationId: string, projectId: string, input: { entries: ScheduleEntryInput[] }): Promise<Schedule> {
  const project = await fixedProject(tx, organizationId, projectId, true);
  const entries = input.entries.map((entry, index) => {
    const field = `entries.${index}`;
    const amountMinor = parseAmount(entry.amount, project.currency, `${field}.amount`);
    if (amountMinor <= 0n) throw invalid(`${field}.amount`, 'must be more than zero');
    const description = entry.description.trim();
    if (description.length === 0) throw invalid(`${field}.description`, 'must not be empty');
    if (description.length > MAX_ENTRY_DESCRIPTION) throw invalid(`${field}.description`, `must be at most ${MAX_ENTRY_DESCRIPTION} characters`);
    const milestone = entry.milestone === true;
    if (milestone === (entry.dueDate !== undefined)) throw invalid(field, 'give a dueDate or milestone: true, one of them');
    if (milestone && entry.deposit) throw invalid(`${field}.deposit`, 'a deposit is due on a date, not on a milestone');
    const kind = entry.deposit ? 'deposit' : milestone ? 'milestone' : 'date';
    return { description, amountMinor, kind, dueDate: entry.dueDate === undefined ? null : parseIsoDate(entry.dueDate, `${field}.dueDate`) };
  });
  if (entries.length === 0) throw invalid('entries', 'must have at least one entry');
  if (entries.length > MAX_SCHEDULE_ENTRIES) throw invalid('entries', `must have at most ${MAX_SCHEDULE_ENTRIES} entries`);
  const scheduled = entries.filter((e) => e.kind !== 'deposit').reduce((sum, e) => sum + e.amountMinor, 0n);
  if (scheduled !== project.amountMinor) {
    throw invalid('entries', `dated entries and milestones must sum to the project amount ${formatAmount(project.amountMinor, project.currency)} exactly (they sum to ${formatAmount(scheduled, project.currency)})`, 'schedule_total_mismatch');
  }
  const deposits = entries.filter((e) => e.kind === 'deposit').reduce((sum, e) => sum + e.amountMinor, 0n);
  if (deposits > project.amountMinor) throw invalid('entries', 'deposits must not exceed the project amount', 'deposit_too_large');
  const { rows: billed } = await tx.query(
    `select 1 from fixed_schedule_entries where organization_id = $1 and project_id = $2 and billed_at is not null limit 1`, [organizationId, projectId],
  );
  if (billed.length > 0) throw conflict('schedule_billed', 'The schedule has billed entries and can no longer be replaced.');
  await tx.query(`delete from fixed_schedule_entries where organization_id = $1 and project_id = $2`, [organizationId, projectId]);
  for (const [index, entry] of entries.entries()) {
    await tx.query(
      `insert into fixed_schedule_entries (id, organization_id, project_id, position, description, amount_minor, kind, due_date)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newId('fse'), organizationId, projectId, index + 1, entry.description, entry.amountMinor, entry.kind, entry.dueDate],
    );
  }
  return getSchedule(tx, organizationId, projectId);
}

/** Marks a milestone done (today in the organization's time zone, or the date given): the next run bills it. */
export async function completeMilestone(pool: Pool, clock: Clock, organizationId: string, projectId: string, entryId: string, input: { date?: string } = {}): Promise<Schedule> {
  const today = await todayFor(pool, organizationId, clock);
  const date = input.date === undefined ? today : parseIsoDate(input.date, 'date');
  if (date > today) throw invalid('date', 'must not be in the future');
  return inTransaction(pool, async (tx) => {
    await fixedProject(tx, organizationId, projectId, true);
    const { rows } = await tx.query(
      `select kind, completed_on from fixed_schedule_entries where organization_id = $1 and project_id = $2 and id = $3 for update`,
      [organizationId, projectId, entryId],
    );
    if (!rows[0]) throw notFound('schedule_entry', entryId);
    if (rows[0].kind !== 'milestone') throw conflict('not_a_milestone', 'Only milestones are completed; dated entries bill on their date.');
    if (rows[0].completed_on !== null) throw conflict('milestone_completed', 'The milestone is completed already.');
    await tx.query(`update fixed_schedule_entries set completed_on = $2 where id = $1`, [entryId, date]);
    return getSchedule(tx, organizationId, projectId);
  });
}

type Deduction = { depositId: string; minor: bigint; taxRateIds: string[] };
export type FixedCharge = Charge & { fixed: { entryId: string; lineId: string; deductions: Deduction[] } };

/** A billed deposit: what of it is paid (net of tax) and not yet deducted, and the taxes it was billed with. */
type OpenDeposit = { id: string; projectId: string; remaining: bigint; taxRateIds: string[] };

/**
 * The project's billed deposits with something paid and not yet deducted. What is paid of an
 * invoice (payments and applied credit, net of tax: paid × net / gross, rounded down) goes to its
 * deposits in schedule order, each at most its amount; a deposit's deduction is taxed with the
 * taxes its own line was billed with (the project's rates, for a deposit billed before lines were
 * recorded).
 */
async function openDeposits(tx: Tx, organizationId: string, projects: Array<{ id: string; tax_rate_ids: string[] }>): Promise<OpenDeposit[]> {
  const { rows } = await tx.query(
    `select e.id, e.project_id, e.invoice_id, e.amount_minor, e.deducted_minor, l.taxes,
       (select coalesce(floor(sum(s.amount_minor) * (i.subtotal_minor - i.discount_total_minor) / nullif(i.total_minor, 0)), 0)
        from settlements s join invoices i on i.id = s.invoice_id
        where s.invoice_id = e.invoice_id and s.kind in ('payment', 'customer_credit') and i.state <> 'void'
        group by i.id) as invoice_paid_net
     from fixed_schedule_entries e left join invoice_lines l on l.id = e.invoice_line_id
     where e.organization_id = $1 and e.kind = 'deposit' and e.billed_at is not null and e.invoice_id in (
       select invoice_id from fixed_schedule_entries where organization_id = $1 and project_id = any($2::text[]) and kind = 'deposit'
         and billed_at is not null and deducted_minor < amount_minor)
     order by e.invoice_id, e.position, e.id`,
    [organizationId, projects.map((p) => p.id)],
  );
  const projectTaxes = new Map(projects.map((p) => [p.id, p.tax_rate_ids]));
  const deposits: OpenDeposit[] = [];
  let invoiceId: string | null = null;
  let unassigned = 0n;
  for (const row of rows) {
    if (row.invoice_id !== invoiceId) [invoiceId, unassigned] = [row.invoice_id, BigInt(row.invoice_paid_net ?? 0)];
    const amount = BigInt(row.amount_minor);
    const paid = unassigned < amount ? unassigned : amount;
    unassigned -= paid;
    if (!projectTaxes.has(row.project_id)) continue; // a deposit of another page's project on the same invoice: counted, not deducted here
    const taxRateIds = row.taxes ? (row.taxes as Array<{ id: string }>).map((tax) => tax.id) : projectTaxes.get(row.project_id)!;
    deposits.push({ id: row.id, projectId: row.project_id, remaining: paid - BigInt(row.deducted_minor), taxRateIds });
  }
  return deposits;
}

export const fixedChargeSource: ChargeSource = {
  contractTypes: [FIXED_CONTRACT_TYPE],

  async dueCharges(tx, organizationId, date, page) {
    const { rows: projects } = await tx.query(
      `select id, customer_id, name, billing, tax_rate_ids from projects where organization_id = $1 and customer_id = any($2::text[]) and billing_model = 'fixed'
       order by id ${page.lock ? 'for no key update' : ''}`,
      [organizationId, page.customerIds],
    );
    if (projects.length === 0) return [];
    const { rows } = await tx.query(
      `select e.* from fixed_schedule_entries e where e.organization_id = $1 and e.project_id = any($2::text[])
         and e.billed_at is null and coalesce(e.due_date, e.completed_on) <= $3
       order by e.project_id, coalesce(e.due_date, e.completed_on), e.position ${page.lock ? 'for no key update of e' : ''}`,
      [organizationId, projects.map((p) => p.id), date],
    );
    const deposits = await openDeposits(tx, organizationId, projects);
    const charges: FixedCharge[] = [];
    for (const project of projects) {
      const currency = project.billing.currency as string;
      const mine = deposits.filter((deposit) => deposit.projectId === project.id);
      for (const row of rows.filter((r) => r.project_id === project.id)) {
        const on: IsoDate = row.due_date ?? row.completed_on;
        const amountMinor = BigInt(row.amount_minor);
        const label = row.kind === 'milestone' ? 'milestone' : row.kind === 'deposit' ? 'deposit' : 'instalment';
        const lineId = newId('lin');
        const lines: Charge['lines'] = [{
          id: lineId, itemId: null, description: `${project.name}: ${row.description} (${label})`, quantity: '1', unitPrice: formatAmount(amountMinor, currency),
          taxRateIds: project.tax_rate_ids, serviceStart: on, serviceEnd: on,
        }];
        const deductions: Deduction[] = [];
        if (row.kind !== 'deposit') {
          let room = amountMinor;
          for (const deposit of mine) {
            const minor = deposit.remaining < room ? deposit.remaining : room;
            if (minor <= 0n) continue;
            deposit.remaining -= minor;
            room -= minor;
            deductions.push({ depositId: deposit.id, minor, taxRateIds: deposit.taxRateIds });
          }
          // One "Less deposit" line per set of taxes the deducted deposits were billed with.
          for (const [taxes, group] of groupRows(deductions, (d) => d.taxRateIds.join(' '))) {
            const total = group.reduce((sum, d) => sum + d.minor, 0n);
            lines.push({
              itemId: null, description: 'Less deposit', quantity: '1', unitPrice: formatAmount(-total, currency), taxRateIds: taxes ? taxes.split(' ') : [],
              serviceStart: on, serviceEnd: on,
            });
          }
        }
        charges.push({
          contractType: FIXED_CONTRACT_TYPE, contractId: row.id, customerId: project.customer_id, currency,
          periodStart: on, periodEnd: shiftDays(on, 1), lines, invoiceGroup: project.id, separateInvoice: row.kind === 'deposit',
          fixed: { entryId: row.id, lineId, deductions },
        });
      }
    }
    return charges;
  },

  async markBilled(tx, organizationId, billed) {
    for (const charge of billed as FixedCharge[]) {
      await tx.query(
        `update fixed_schedule_entries set billed_at = now(), invoice_line_id = $5, invoice_id = (
           select invoice_id from billing_run_items where contract_type = $3 and contract_id = $2 and period_start = $4)
         where organization_id = $1 and id = $2`,
        [organizationId, charge.fixed.entryId, FIXED_CONTRACT_TYPE, charge.periodStart, charge.fixed.lineId],
      );
      for (const deduction of charge.fixed.deductions) {
        await tx.query(
          `update fixed_schedule_entries set deducted_minor = deducted_minor + $3 where organization_id = $1 and id = $2`,
          [organizationId, deduction.depositId, deduction.minor],
        );
      }
    }
  },
};

