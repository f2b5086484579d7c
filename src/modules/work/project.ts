import { parseIsoDate } from '../../shared/calendar.ts';
import { parseDecimal, toDecimalString, type Decimal } from '../../shared/decimal.ts';
import { invalid } from '../../shared/errors.ts';
import { formatAmount, parseAmount } from '../../shared/money.ts';
import { ROUNDING_INCREMENTS } from './time-rounding.ts';

export type BillingModel = 'hourly' | 'fixed' | 'retainer';
export const BILLING_MODELS = ['hourly', 'fixed', 'retainer'] as const satisfies readonly BillingModel[];
export const RETAINER_INTERVALS = ['month', 'quarter', 'year'] as const;
export const ROLLOVER_MODES = ['none', 'unlimited', 'capped'] as const;

/**
 * A project's billing terms as stored in `projects.billing` (and read by contracts for fixed and
 * retainer projects). Amounts and rates are decimal strings in the customer's currency, as in
 * the API. An hourly project's rate is not here: rates live in rate_rules (its project rule).
 */
export type Billing =
  /** notToExceed: a cap on what the project bills in all; billing beyond it needs saying so. */
  | { model: 'hourly'; notToExceed?: string }
  | { model: 'fixed'; currency: string; amount: string }
  | {
      model: 'retainer'; currency: string; fee: string; interval: (typeof RETAINER_INTERVALS)[number];
      includedHours: string; overageRate: string | null; rollover: (typeof ROLLOVER_MODES)[number];
      rolloverMaxHours: string | null; startDate: string;
      /** Each period's invoice also bills the customer's approved unbilled time and expenses (hourly projects). */
      includeUnbilledWork: boolean;
    };

/** What the API accepts: one flat object, checked per model here (clearer errors than a schema union). */
export type BillingInput = {
  model: BillingModel;
  rate?: string | null;
  notToExceed?: string | null;
  amount?: string;
  fee?: string;
  interval?: (typeof RETAINER_INTERVALS)[number];
  includedHours?: string;
  overageRate?: string | null;
  rollover?: (typeof ROLLOVER_MODES)[number];
  rolloverMaxHours?: string | null;
  startDate?: string;
  includeUnbilledWork?: boolean;
};

const FIELDS_OF: Record<BillingModel, ReadonlyArray<keyof BillingInput>> = {
  hourly: ['model', 'rate', 'notToExceed'],
  fixed: ['model', 'amount'],
  retainer: ['model', 'fee', 'interval', 'includedHours', 'overageRate', 'rollover', 'rolloverMaxHours', 'startDate', 'includeUnbilledWork'],
};

export type Budget = { hours: string | null; amount: string | null };
export type BudgetInput = { hours?: string; amount?: string };

export type ProjectStatus = 'active' | 'archived';

export type Project = {
  id: string;
  customerId: string;
  name: string;
  code: string | null;
  status: ProjectStatus;
  currency: string; // the customer's
  billing: Billing & { rate?: string | null };
  budget: Budget | null;
  roundingMinutes: number;
  requiresApproval: boolean;
  /** Applied to every line the project bills (time, expenses, fees, schedule entries). */
  taxRateIds: string[];
  createdAt: string;
  updatedAt: string;
};

export type ProjectInput = {
  customerId: string;
  name: string;
  code?: string | null;
  billing: BillingInput;
  budget?: BudgetInput | null;
  roundingMinutes?: number;
  requiresApproval?: boolean;
  taxRateIds?: string[];
};

export type ProjectChanges = Partial<Omit<ProjectInput, 'customerId'>> & { status?: ProjectStatus };

export type Task = { id: string; projectId: string; name: string; rate: string | null; billable: boolean; archivedAt: string | null; createdAt: string };
export type TaskInput = { name: string; rate?: string | null; billable?: boolean };

export function parseRate(text: string, field: string): Decimal {
  return parseDecimal(text, field, { maxScale: 6, maxIntegerDigits: 13, allowNegative: false });
}

function positiveAmount(text: string | undefined, currency: string, field: string): string {
  if (text === undefined) throw invalid(field, 'is required');
  const minor = parseAmount(text, currency, field);
  if (minor <= 0n) throw invalid(field, 'must be more than zero');
  return formatAmount(minor, currency);
}

function hours(text: string | undefined | null, field: string, opts: { positive: boolean }): string {
  if (text === undefined || text === null) throw invalid(field, 'is required');
  const value = parseDecimal(text, field, { maxScale: 2, maxIntegerDigits: 7, allowNegative: false });
  if (opts.positive && value.units === 0n) throw invalid(field, 'must be more than zero');
  return toDecimalString(value);
}

/** Checks billing terms and writes them in their stored form; the hourly rate comes back apart. */
export function normalizeBilling(input: BillingInput, currency: string, today: string): { billing: Billing; hourlyRate: Decimal | null } {
  for (const key of Object.keys(input) as Array<keyof BillingInput>) {
    if (!FIELDS_OF[input.model].includes(key)) throw invalid(`billing.${key}`, `does not apply to ${input.model} billing`);
  }
  switch (input.model) {
    case 'hourly':
      return {
        billing: { model: 'hourly', ...(input.notToExceed == null ? {} : { notToExceed: positiveAmount(input.notToExceed, currency, 'billing.notToExceed') }) },
        hourlyRate: input.rate == null ? null : parseRate(input.rate, 'billing.rate'),
      };
    case 'fixed':
      return { billing: { model: 'fixed', currency, amount: positiveAmount(input.amount, currency, 'billing.amount') }, hourlyRate: null };
    case 'retainer': {
      if (!input.interval) throw invalid('billing.interval', 'is required');
      const rollover = input.rollover ?? 'none';
      if ((rollover === 'capped') !== (input.rolloverMaxHours != null)) {
        throw invalid('billing.rolloverMaxHours', rollover === 'capped' ? 'is required when rollover is capped' : 'applies only when rollover is capped');
      }
      return {
        billing: {
          model: 'retainer', currency, fee: positiveAmount(input.fee, currency, 'billing.fee'), interval: input.interval,
          includedHours: hours(input.includedHours, 'billing.includedHours', { positive: false }),
          overageRate: input.overageRate == null ? null : toDecimalString(parseRate(input.overageRate, 'billing.overageRate')),
          rollover, rolloverMaxHours: rollover === 'capped' ? hours(input.rolloverMaxHours, 'billing.rolloverMaxHours', { positive: true }) : null,
          startDate: input.startDate === undefined ? today : parseIsoDate(input.startDate, 'billing.startDate'),
          includeUnbilledWork: input.includeUnbilledWork ?? false,
        },
        hourlyRate: null,
      };
    }
  }
}

/** A budget is hours or money, not both; stored as budget_hours or budget_amount_minor. */
export function normalizeBudget(input: BudgetInput | null | undefined, currency: string): { hours: string | null; amountMinor: bigint | null } {
  if (!input) return { hours: null, amountMinor: null };
  if ((input.hours === undefined) === (input.amount === undefined)) throw invalid('budget', 'give hours or amount, one of them');
  if (input.hours !== undefined) return { hours: hours(input.hours, 'budget.hours', { positive: true }), amountMinor: null };
  return { hours: null, amountMinor: parseAmount(positiveAmount(input.amount, currency, 'budget.amount'), currency, 'budget.amount') };
}

export function checkRoundingMinutes(value: number | undefined): number {
  if (value === undefined) return 1;
  if (!(ROUNDING_INCREMENTS as readonly number[]).includes(value)) {
    throw invalid('roundingMinutes', `must divide an hour: one of ${ROUNDING_INCREMENTS.join(', ')}`);
  }
  return value;
}
