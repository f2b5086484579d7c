import type { BillingRunResult } from '../modules/billing/index.ts';
import { currentPeriod, cycleAt, deriveStatus, itemsOn, type SubscriptionView } from '../modules/subscriptions/index.ts';
import { formatAmount } from '../shared/money.ts';

// Subscriptions and billing runs as the API (and `accrue bill-run --json`) show them.

/** The cycle and items shown are those in effect today (or at the start, before it). */
export function subscriptionJson({ subscription: s, today }: SubscriptionView) {
  const period = currentPeriod(s, today);
  const shownOn = today < s.startDate ? s.startDate : today;
  return {
    id: s.id, customerId: s.customerId, currency: s.currency, status: deriveStatus(s, today), ...cycleAt(s, shownOn), billingTiming: s.billingTiming,
    startDate: s.startDate, trialEnd: s.trialEnd, endDate: s.endDate, cancelAtPeriodEnd: s.cancelAtPeriodEnd, canceledAt: s.canceledAt, includeUnbilledWork: s.includeUnbilledWork,
    currentPeriod: period && { start: period.start, end: period.cutEnd },
    items: itemsOn(s, shownOn),
    changes: s.changes.map((c) => ({
      id: c.id, effectiveDate: c.effectiveDate, prorate: c.prorate, interval: c.cycle?.interval ?? null,
      intervalCount: c.cycle?.intervalCount ?? null, anchorDay: c.cycle?.anchorDay ?? null, items: c.items, createdAt: c.createdAt,
    })),
    createdAt: s.createdAt,
  };
}

export function billingRunJson(result: BillingRunResult) {
  return {
    runId: result.runId, date: result.date, dryRun: result.dryRun, customersProcessed: result.customersDone,
    chargesBilled: result.chargesBilled, invoicesCreated: result.invoicesCreated,
    invoices: result.invoices.map((invoice) => ({
      invoiceId: invoice.invoiceId, customerId: invoice.customerId, currency: invoice.currency, lineCount: invoice.lineCount,
      subtotal: formatAmount(invoice.subtotalMinor, invoice.currency), taxTotal: formatAmount(invoice.taxTotalMinor, invoice.currency),
      total: formatAmount(invoice.totalMinor, invoice.currency), charges: invoice.charges,
    })),
    skipped: result.skipped,
    credits: result.credits.map(({ totalMinor, ...credit }) => ({ ...credit, total: formatAmount(totalMinor, credit.currency) })),
    heldWork: result.heldWork,
    issued: result.issued,
    issueFailures: result.issueFailures,
  };
}
