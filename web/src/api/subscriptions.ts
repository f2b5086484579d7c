import { useQuery } from '@tanstack/react-query';
import { get, query } from './client.ts';
import type { Page } from './types.ts';

// The subscriptions API's shapes (src/http/routes/subscriptions.ts, subscription-json.ts). Amounts are
// decimal strings beside a currency; the browser shows them with Intl and adds nothing up.

export type Interval = 'weekly' | 'monthly' | 'quarterly' | 'yearly';
export type SubscriptionStatus = 'scheduled' | 'trialing' | 'active' | 'canceled' | 'ended';

export type SubscriptionItem = { id: string; itemId: string | null; description: string; unitPrice: string; quantity: string; metered: boolean; taxRateIds: string[] };

export type Subscription = {
  id: string;
  customerId: string;
  currency: string;
  status: SubscriptionStatus;
  interval: Interval;
  intervalCount: number;
  anchorDay: number;
  billingTiming: 'advance' | 'arrears' | string;
  startDate: string;
  trialEnd: string | null;
  endDate: string | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  /** end is exclusive: the next period starts on it. */
  currentPeriod: { start: string; end: string } | null;
  items: SubscriptionItem[];
  changes: Array<{ id: string; effectiveDate: string; prorate: boolean; createdAt: string }>;
  createdAt: string;
};

type ChargeKey = { contractType: string; contractId: string; periodStart: string; periodEnd: string };

export type BillingRunResult = {
  runId: string | null;
  date: string;
  dryRun: boolean;
  customersProcessed: number;
  chargesBilled: number;
  invoicesCreated: number;
  invoices: Array<{ invoiceId: string | null; customerId: string; currency: string; lineCount: number; subtotal: string; taxTotal: string; total: string; charges: ChargeKey[] }>;
  skipped: Array<ChargeKey & { customerId: string; reason: SkipReason }>;
  /**
   * Unbilled work the run left off its invoices because it would take its project past the
   * project's not-to-exceed amount. It stays unbilled, for a person to bill from unbilled work.
   */
  heldWork: HeldWork[];
  /** Net credits of contracts that ended with them, credited on their last issued invoice (a credit note; none yet in a dry run). */
  credits: Array<{ customerId: string; currency: string; invoiceId: string; creditNoteId: string | null; total: string; charges: ChargeKey[] }>;
  /** With `issue`: the drafts issued, and those that stay drafts (and why). */
  issued: number;
  issueFailures: Array<{ invoiceId: string; code: string; message: string }>;
};

/** `message` names the project and the amounts: "Audit: 0.00 billed and 500.00 unbilled come to …". */
export type HeldWork = { customerId: string; projectId: string; code: string; message: string };

/** Why the run left a charge unbilled; the charge stays due for a later run. */
export type SkipReason = 'customer_archived' | 'currency_mismatch' | 'net_credit';

export const INTERVAL_LABELS: Record<Interval, string> = { weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly' };
export const SUBSCRIPTION_STATUS_LABELS: Record<SubscriptionStatus, string> = {
  scheduled: 'Scheduled',
  trialing: 'Trialing',
  active: 'Active',
  canceled: 'Canceled',
  ended: 'Ended',
};

export function useSubscriptions(customerId?: string) {
  return useQuery({
    queryKey: ['subscriptions', 'list', customerId ?? null],
    queryFn: ({ signal }) => get<Page<Subscription>>(`/v1/subscriptions${query({ customerId, limit: 100 })}`, { signal }).then((p) => p.data),
    staleTime: 15_000,
  });
}

export function useSubscription(id: string | undefined) {
  return useQuery({
    queryKey: ['subscriptions', 'one', id],
    queryFn: ({ signal }) => get<Subscription>(`/v1/subscriptions/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}
