import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, query } from './client.ts';
import type { Page } from './types.ts';

// The work API's shapes (src/http/routes/work-json.ts) and its queries. Amounts are decimal
// strings beside a currency, shown with Intl; the browser adds no money up.

export type BillingModel = 'hourly' | 'fixed' | 'retainer';

export type Project = {
  id: string;
  customerId: string;
  name: string;
  code: string | null;
  status: 'active' | 'archived';
  currency: string;
  billing: {
    model: BillingModel;
    rate?: string | null;
    /** Hourly: a cap on what the project bills in all; absent when none. */
    notToExceed?: string;
    currency?: string;
    amount?: string;
    fee?: string;
    interval?: string;
    includedHours?: string;
    overageRate?: string | null;
    rollover?: string;
    rolloverMaxHours?: string | null;
    startDate?: string;
    /** Retainer: each period's invoice also bills the customer's approved unbilled hourly work and expenses. */
    includeUnbilledWork?: boolean;
  };
  /** Tax rates of every line the project bills. */
  taxRateIds: string[];
  budget: { hours: string | null; amount: string | null } | null;
  roundingMinutes: number;
  requiresApproval: boolean;
  createdAt: string;
  updatedAt: string;
};

export type Task = { id: string; projectId: string; name: string; rate: string | null; billable: boolean; archivedAt: string | null; createdAt: string };

export type TimeEntry = {
  id: string;
  userId: string;
  projectId: string;
  taskId: string | null;
  date: string;
  minutes: number;
  start: string | null;
  end: string | null;
  description: string;
  billable: boolean;
  approvalState: string;
  billed: boolean;
  invoiceId: string | null;
  locked: boolean;
};

export type Timer = { userId: string; projectId: string; taskId: string | null; description: string; billable: boolean; startedAt: string };

export type Week = {
  userId: string;
  weekStart: string;
  weekEnd: string;
  days: Array<{ date: string; minutes: number }>;
  rows: Array<{ projectId: string; projectName: string; taskId: string | null; taskName: string | null; minutes: number[]; totalMinutes: number }>;
  totalMinutes: number;
};

export type Expense = {
  id: string;
  userId: string;
  projectId: string;
  date: string;
  amount: string;
  currency: string;
  category: string;
  description: string;
  billable: boolean;
  markupPercent: string;
  billedAmount: string;
  billed: boolean;
  invoiceId: string | null;
};

export type UnbilledCustomer = {
  customerId: string;
  customerName: string;
  currency: string;
  timeTotal: string;
  expenseTotal: string;
  total: string;
  projects: Array<{
    projectId: string;
    name: string;
    billingModel: string;
    timeTotal: string;
    expenseTotal: string;
    total: string;
    timeEntries: Array<{ id: string; date: string; userId: string; taskId: string | null; taskName: string | null; minutes: number; billedMinutes: number; rate: string | null; amount: string | null }>;
    expenses: Array<{ id: string; date: string; category: string; description: string; amount: string; markupPercent: string; billedAmount: string }>;
  }>;
  lines: Array<{ description: string; quantity: string; unit: string | null; unitPrice: string; amount: string; taxRateIds: string[] }>;
  unpricedTimeEntryIds: string[];
  /** Projects this work takes past their not-to-exceed amount or budget. */
  warnings: Array<{ code: 'not_to_exceed_exceeded' | 'budget_exceeded'; projectId: string; message: string }>;
};

export const TIMER_KEY = ['timer'];

export function useTimer() {
  return useQuery({
    queryKey: TIMER_KEY,
    queryFn: ({ signal }) => get<{ timer: Timer | null }>('/v1/timer', { signal }).then((r) => r.timer),
    refetchOnWindowFocus: true,
  });
}

/** Every project (up to 200), alphabetical; archived ones only with `includeArchived`. */
export function useProjects(options: { customerId?: string; includeArchived?: boolean } = {}) {
  return useQuery({
    queryKey: ['projects', 'list', options],
    queryFn: ({ signal }) =>
      get<Page<Project>>(`/v1/projects${query({ customerId: options.customerId, status: options.includeArchived ? undefined : 'active', limit: 200 })}`, { signal }).then((p) => p.data),
    staleTime: 15_000,
  });
}

export function useProject(id: string | undefined) {
  return useQuery({
    queryKey: ['projects', 'one', id],
    queryFn: ({ signal }) => get<Project>(`/v1/projects/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useTasks(projectId: string | undefined) {
  return useQuery({
    queryKey: ['projects', 'tasks', projectId],
    queryFn: ({ signal }) => get<{ data: Task[] }>(`/v1/projects/${encodeURIComponent(projectId!)}/tasks`, { signal }).then((r) => r.data),
    enabled: Boolean(projectId),
    staleTime: 15_000,
  });
}

export function useWeek(date: string | undefined) {
  return useQuery({
    queryKey: ['time', 'week', date ?? 'today'],
    queryFn: ({ signal }) => get<Week>(`/v1/time-entries/week${query({ date })}`, { signal }),
  });
}

export function useUnbilled() {
  return useQuery({
    queryKey: ['unbilled'],
    queryFn: ({ signal }) => get<{ data: UnbilledCustomer[] }>('/v1/unbilled', { signal }).then((r) => r.data),
  });
}

export function useExpenses() {
  return useQuery({
    queryKey: ['expenses'],
    queryFn: ({ signal }) => get<Page<Expense>>('/v1/expenses?limit=100', { signal }).then((r) => r.data),
  });
}

/** After time or expenses change: the week, the timer, unbilled work. */
export function useRefreshWork(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await Promise.all(['timer', 'time', 'unbilled', 'expenses'].map((key) => client.invalidateQueries({ queryKey: [key] })));
  };
}

/** Minutes as "h:mm" ("1:05"). */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h}:${String(m).padStart(2, '0')}`;
}

/** Elapsed seconds as "h:mm:ss". */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** What a person typed as a duration: "90" (minutes), "1:30" or "1h30" (h:mm), "1.5h". Null when unreadable. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!t) return null;
  let match = /^(\d{1,2}):(\d{1,2})$/.exec(t) ?? /^(\d{1,2})h(\d{1,2})m?$/.exec(t);
  if (match) {
    const m = Number(match[2]);
    return m < 60 ? Number(match[1]) * 60 + m : null;
  }
  match = /^(\d{1,2})(?:[.,](\d{1,2}))?h$/.exec(t);
  if (match) return Math.round(Number(`${match[1]}.${match[2] ?? '0'}`) * 60);
  match = /^(\d{1,4})m?$/.exec(t);
  if (match) return Number(match[1]);
  return null;
}

/** The date `days` after an ISO date. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

// Fixed-price schedules (src/http/routes/contracts.ts) -------------------------------------------

export type ScheduleKind = 'date' | 'milestone' | 'deposit';

export type ScheduleEntry = {
  id: string;
  position: number;
  description: string;
  amount: string;
  kind: ScheduleKind;
  dueDate: string | null;
  completedOn: string | null;
  billed: boolean;
  invoiceId: string | null;
  /** The invoice's number once issued; null while it is a draft. */
  invoiceNumber: string | null;
  /** Deposits: how much of it later invoices have deducted so far. */
  deducted: string | null;
};

export type Schedule = { projectId: string; currency: string; amount: string; entries: ScheduleEntry[] };

export const scheduleKey = (projectId: string) => ['projects', 'schedule', projectId];

export function useSchedule(projectId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: scheduleKey(projectId ?? ''),
    queryFn: ({ signal }) => get<Schedule>(`/v1/projects/${encodeURIComponent(projectId!)}/schedule`, { signal }),
    enabled: Boolean(projectId) && enabled,
  });
}

// Time approvals (src/http/routes/work.ts) -------------------------------------------------------

export type PendingWeek = { userId: string; weekStart: string; weekEnd: string; entryCount: number; minutes: number };

export type ApprovalDecision = {
  id: string;
  userId: string;
  weekStart: string;
  decision: 'approved' | 'rejected';
  /** null: decided with an API key of no one. */
  approverId: string | null;
  comment: string | null;
  entryCount: number;
  decidedAt: string;
};

export function usePendingWeeks() {
  return useQuery({
    queryKey: ['approvals', 'pending'],
    queryFn: ({ signal }) => get<{ data: PendingWeek[] }>('/v1/approvals/pending', { signal }).then((r) => r.data),
  });
}

export function useApprovalDecisions() {
  return useQuery({
    queryKey: ['approvals', 'decisions'],
    queryFn: ({ signal }) => get<{ data: ApprovalDecision[] }>('/v1/approvals', { signal }).then((r) => r.data),
  });
}

/** A person's pending entries of a week (up to 200, the API's page size). */
export function usePendingEntries(week: PendingWeek) {
  return useQuery({
    queryKey: ['approvals', 'entries', week.userId, week.weekStart],
    queryFn: ({ signal }) =>
      get<Page<TimeEntry>>(`/v1/time-entries${query({ userId: week.userId, from: week.weekStart, to: week.weekEnd, approvalState: 'pending', limit: 200 })}`, { signal }).then((r) => r.data),
  });
}
