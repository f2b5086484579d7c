/**
 * Retainers as a charge source (contract type 'retainer', one charge per project and period).
 * A period's charge bills its fee in advance and, in the same invoice, closes the previous
 * period: the approved billable time counted in it (each entry rounded up to the project's
 * increment, as hourly billing does) beyond the included hours plus the hours carried in is billed
 * at the overage rate, rounded once. Unused hours roll over by the project's rule. The time a
 * period counted is recorded in retainer_period_entries (and linked to the overage line, if any),
 * so it counts once, ever; time entered late for a closed period counts in the next closing.
 */
import type { IsoDate } from '../../shared/calendar.ts';
import { parseDecimal, type RoundingMode } from '../../shared/decimal.ts';
import type { Tx } from '../../shared/db.ts';
import { formatAmount } from '../../shared/money.ts';
import { getOrganization } from '../access/index.ts';
import type { Charge, ChargeLine, ChargeSource } from '../billing/index.ts';
import { periodContaining, nextPeriod, shiftDays, type Cycle, type Interval, type Period } from '../subscriptions/periods.ts';
import { billMinutes, roundUpMinutes } from '../work/index.ts';
import { amountForSeconds, closePeriod, formatHours, hoursToSeconds, periodLabel, type RetainerTerms } from './retainer.ts';

export const RETAINER_CONTRACT_TYPE = 'retainer';
/** An archived retainer's last period, closed without a next fee: its overage (keyed by that period's start). */
export const RETAINER_FINAL_CONTRACT_TYPE = 'retainer_final';

type RetainerBilling = {
  model: 'retainer'; currency: string; fee: string; interval: 'month' | 'quarter' | 'year'; includedHours: string;
  overageRate: string | null; rollover: 'none' | 'unlimited' | 'capped'; rolloverMaxHours: string | null; startDate: IsoDate;
  includeUnbilledWork?: boolean; // absent in terms written before it existed
};

type Closing = {
  start: IsoDate; usedSeconds: number; overageSeconds: number; overageMinor: bigint; carriedOutSeconds: number;
  entryIds: string[]; overageLine: string | null;
};

/** What markBilled needs beside the charge (the run passes the charge objects through). */
export type RetainerCharge = Charge & {
  retainer: { projectId: string; period: OpenPeriod | null; closing: Closing | null };
};

const INTERVAL_OF: Record<RetainerBilling['interval'], Interval> = { month: 'monthly', quarter: 'quarterly', year: 'yearly' };

export function retainerCycle(billing: Pick<RetainerBilling, 'interval' | 'startDate'>): Cycle {
  return { start: billing.startDate, interval: INTERVAL_OF[billing.interval], intervalCount: 1, anchorDay: Number(billing.startDate.slice(8, 10)) };
}

type OpenPeriod = { start: IsoDate; end: IsoDate; includedSeconds: number; carriedInSeconds: number };

export const retainerChargeSource: ChargeSource = {
  contractTypes: [RETAINER_CONTRACT_TYPE, RETAINER_FINAL_CONTRACT_TYPE],

  async dueCharges(tx, organizationId, date, page) {
    const { rows: projects } = await tx.query(
      `select p.id, p.customer_id, p.name, p.billing, p.rounding_minutes, p.tax_rate_ids, p.status from projects p
       where p.organization_id = $1 and p.customer_id = any($2::text[]) and p.billing_model = 'retainer'
         and (p.status = 'active' or exists (select 1 from retainer_periods r where r.project_id = p.id and r.closed_at is null))
       order by p.id ${page.lock ? 'for no key update of p' : ''}`,
      [organizationId, page.customerIds],
    );
    if (projects.length === 0) return [];
    const ids = projects.map((p) => p.id as string);
    const { rows: lastRows } = await tx.query(
      `select distinct on (project_id) project_id, period_start, period_end, included_seconds, carried_in_seconds, closed_at
       from retainer_periods where organization_id = $1 and project_id = any($2::text[]) order by project_id, period_start desc`,
      [organizationId, ids],
    );
    const last = new Map(lastRows.map((row) => [row.project_id as string, row]));
    const { rows: entries } = await tx.query(
      `select te.id, te.project_id, te.work_date, te.minutes from time_entries te
       where te.organization_id = $1 and te.project_id = any($2::text[]) and te.billable and te.approval_state in ('not_required', 'approved')
         and te.work_date < $3 and not exists (select 1 from retainer_period_entries r where r.time_entry_id = te.id)
       order by te.id ${page.lock ? 'for update of te' : ''}`,
      [organizationId, ids, date],
    );
    const { roundingMode } = await getOrganization(tx, organizationId);
    const charges: RetainerCharge[] = [];
    for (const project of projects) {
      const billing = project.billing as RetainerBilling;
      if (billing.startDate > date) continue;
      const cycle = retainerCycle(billing);
      const terms: RetainerTerms = {
        includedSeconds: hoursToSeconds(billing.includedHours), rollover: billing.rollover,
        capSeconds: billing.rolloverMaxHours === null ? null : hoursToSeconds(billing.rolloverMaxHours),
      };
      const previous = last.get(project.id);
      let open: OpenPeriod | null = previous && !previous.closed_at
        ? { start: previous.period_start, end: previous.period_end, includedSeconds: Number(previous.included_seconds), carriedInSeconds: Number(previous.carried_in_seconds) }
        : null;
      // After the last billed period; or from the start date, when it lies beyond (a retainer resumed).
      let period: Period = periodContaining(cycle, billing.startDate);
      if (previous && previous.period_end > billing.startDate) period = nextPeriod(cycle, periodContaining(cycle, previous.period_start));
      let pending = entries.filter((entry) => entry.project_id === project.id);
      const taxed = (lines: ChargeLine[]) => lines.map((line) => ({ ...line, taxRateIds: project.tax_rate_ids }));
      if (project.status === 'archived') {
        // No more fees; once its last period is over, bill what was used beyond it.
        if (!open || open.end > date) continue;
        const closing = close(open, pending.filter((entry) => entry.work_date < open!.end), project.rounding_minutes, { ...terms, includedSeconds: open.includedSeconds }, billing, roundingMode);
        const lines = linesOf(project.name, billing, null, open, closing, roundingMode);
        if (lines.length === 0) continue; // nothing over: the period just stays as it is
        charges.push({
          contractType: RETAINER_FINAL_CONTRACT_TYPE, contractId: project.id, customerId: project.customer_id, currency: billing.currency,
          periodStart: open.start, periodEnd: open.end, lines: taxed(lines), retainer: { projectId: project.id, period: null, closing },
        });
        continue;
      }
      for (; period.start <= date; period = nextPeriod(cycle, period)) {
        let closing: Closing | null = null;
        if (open) {
          const counted = pending.filter((entry) => entry.work_date < open!.end);
          pending = pending.filter((entry) => entry.work_date >= open!.end);
          closing = close(open, counted, project.rounding_minutes, { ...terms, includedSeconds: open.includedSeconds }, billing, roundingMode);
        }
        const carriedInSeconds = closing?.carriedOutSeconds ?? 0;
        const current: OpenPeriod = { start: period.start, end: period.end, includedSeconds: terms.includedSeconds, carriedInSeconds };
        charges.push({
          contractType: RETAINER_CONTRACT_TYPE, contractId: project.id, customerId: project.customer_id, currency: billing.currency,
          periodStart: period.start, periodEnd: period.end,
          lines: taxed(linesOf(project.name, billing, current, open, closing, roundingMode)),
          retainer: { projectId: project.id, period: current, closing },
          ...(billing.includeUnbilledWork ? { includeUnbilledWork: true } : {}),
        });
        open = current;
      }
    }
    return charges;
  },

  async markBilled(tx, organizationId, billed) {
    const charges = (billed as RetainerCharge[]).slice().sort((a, b) => a.periodStart.localeCompare(b.periodStart));
    for (const charge of charges) {
      const { projectId, period, closing } = charge.retainer;
      if (closing) {
        await tx.query(
          `update retainer_periods set used_seconds = $3, overage_seconds = $4, overage_minor = $5, carried_out_seconds = $6, closed_at = now()
           where project_id = $1 and period_start = $2 and organization_id = $7 and closed_at is null`,
          [projectId, closing.start, closing.usedSeconds, closing.overageSeconds, closing.overageMinor, closing.carriedOutSeconds, organizationId],
        );
        await tx.query(
          `insert into retainer_period_entries (organization_id, project_id, period_start, time_entry_id) select $1, $2, $3, unnest($4::text[])`,
          [organizationId, projectId, closing.start, closing.entryIds],
        );
        if (closing.overageLine !== null && closing.entryIds.length > 0) {
          await tx.query(
            `update time_entries set invoice_line_id = (
               select l.id from invoice_lines l join billing_run_items b on b.invoice_id = l.invoice_id
               where b.contract_type = $3 and b.contract_id = $4 and b.period_start = $5 and l.description = $6 limit 1), updated_at = now()
             where organization_id = $1 and id = any($2::text[])`,
            [organizationId, closing.entryIds, charge.contractType, projectId, charge.periodStart, closing.overageLine],
          );
        }
      }
      if (period === null) continue; // a final closing starts no period
      await tx.query(
        `insert into retainer_periods (organization_id, project_id, period_start, period_end, included_seconds, carried_in_seconds)
         values ($1, $2, $3, $4, $5, $6)`,
        [organizationId, projectId, period.start, period.end, period.includedSeconds, period.carriedInSeconds],
      );
    }
  },
};

function close(
  open: OpenPeriod, counted: Array<{ id: string; minutes: number }>, roundingMinutes: number, terms: RetainerTerms, billing: RetainerBilling, mode: RoundingMode,
): Closing {
  const usedSeconds = counted.reduce((sum, entry) => sum + roundUpMinutes(entry.minutes, roundingMinutes) * 60, 0);
  const result = closePeriod(terms, open.carriedInSeconds, usedSeconds);
  const rate = billing.overageRate === null ? null : parseDecimal(billing.overageRate, 'overageRate');
  const overageMinor = rate && result.overageSeconds > 0 ? amountForSeconds(result.overageSeconds, rate, billing.currency, mode) : 0n;
  return {
    start: open.start, usedSeconds, overageSeconds: result.overageSeconds, overageMinor, carriedOutSeconds: result.carriedOutSeconds,
    entryIds: counted.map((entry) => entry.id), overageLine: null,
  };
}

const lastDayOf = (period: { end: IsoDate }) => shiftDays(period.end, -1);

/**
 * The fee line (unless `current` is null: a final closing), and the overage line of the previous
 * period when there is one to bill; its hours used and carried are told in the fee's description.
 */
function linesOf(
  name: string, billing: RetainerBilling, current: OpenPeriod | null, previous: OpenPeriod | null, closing: Closing | null, mode: RoundingMode,
): ChargeLine[] {
  const carried = current && current.carriedInSeconds > 0 ? ` + ${formatHours(current.carriedInSeconds)} carried over` : '';
  let fee = current ? `Retainer ${periodLabel(current.start, current.end, lastDayOf(current))} (${name}): ${formatHours(current.includedSeconds)} included${carried}` : '';
  const lines: ChargeLine[] = [];
  if (previous && closing) {
    const label = periodLabel(previous.start, previous.end, lastDayOf(previous));
    const available = previous.includedSeconds + previous.carriedInSeconds;
    const unused = Math.max(0, available - closing.usedSeconds);
    const head = `Retainer ${label}: ${formatHours(previous.includedSeconds)} included`
      + (previous.carriedInSeconds > 0 ? ` + ${formatHours(previous.carriedInSeconds)} carried over` : '')
      + `, ${formatHours(closing.usedSeconds)} used`;
    if (closing.overageSeconds > 0) {
      const over = `${head}, ${formatHours(closing.overageSeconds)} over`;
      if (billing.overageRate !== null) {
        const description = `${over} at ${billing.overageRate} per hour`;
        closing.overageLine = description;
        const rate = parseDecimal(billing.overageRate, 'overageRate');
        const exact = closing.overageSeconds % 60 === 0 ? billMinutes(closing.overageSeconds / 60, rate, billing.currency, mode) : null;
        const line = exact && exact.unit === 'hour' && exact.amountMinor === closing.overageMinor
          ? { quantity: exact.quantity, unitPrice: exact.unitPrice }
          : { quantity: '1', unitPrice: formatAmount(closing.overageMinor, billing.currency) };
        lines.push({ itemId: null, description, ...line, taxRateIds: [], serviceStart: previous.start, serviceEnd: lastDayOf(previous) });
      } else {
        fee += `. ${over} (no overage rate)`;
      }
    } else {
      const rest = closing.carriedOutSeconds > 0
        ? `${formatHours(closing.carriedOutSeconds)} carried over` + (unused > closing.carriedOutSeconds ? `, ${formatHours(unused - closing.carriedOutSeconds)} expired` : '')
        : `${formatHours(unused)} ${unused > 0 ? 'expired' : 'remaining'}`;
      fee += `. ${head}, ${rest}`;
    }
  }
  if (current) lines.unshift({ itemId: null, description: fee, quantity: '1', unitPrice: billing.fee, taxRateIds: [], serviceStart: current.start, serviceEnd: lastDayOf(current) });
  return lines;
}
