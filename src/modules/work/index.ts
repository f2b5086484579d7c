// The work module: projects and tasks, rate rules, time entries and the running timer, expenses
// with receipts, approvals, and the way from unbilled work to a draft invoice.
export { decideWeek, listApprovalDecisions, listPendingWeeks, type Decision } from './approvals.ts';
export { createInvoiceFromUnbilled, linkWorkToLines, unbilledWorkLinesOf, type BillWorkInput, type WorkLine } from './bill-unbilled-work.ts';
export { GROUP_BY, planInvoice, type GroupBy, type Plan, type PlannedLine } from './billing-plan.ts';
export type { LimitWarning } from './limits.ts';
export { MAX_RECEIPT_BYTES, RECEIPT_TYPES, type Expense, type ExpenseChanges, type ExpenseInput, type Receipt } from './expense.ts';
export type { ExpenseFilter } from './expense-store.ts';
export { createExpense, deleteExpense, getExpense, getReceipt, listExpenses, updateExpense } from './expenses.ts';
export {
  BILLING_MODELS, RETAINER_INTERVALS, ROLLOVER_MODES, type Billing, type BillingInput, type BillingModel, type Project, type ProjectChanges,
  type ProjectInput, type Task, type TaskInput,
} from './project.ts';
export type { ProjectFilter, RateRuleRow } from './project-store.ts';
export {
  createProject, createProjectIn, createTask, deleteRateRule, getProject, listProjects, listRateRules, listTasks, setRateRule, updateProject, updateTask,
  type RateRuleInput, type TaskChanges,
} from './projects.ts';
export { RATE_SCOPES, resolveRate, scopeOf, type RateQuery, type RateRule, type RateScope, type ResolvedRate } from './rate-resolution.ts';
export { APPROVAL_STATES, MAX_MINUTES, type ApprovalState, type TimeEntry, type TimeEntryChanges, type TimeEntryInput } from './time-entry.ts';
export type { ApprovalDecision, EntryFilter, PendingWeek, Timer } from './time-entry-store.ts';
export { createTimeEntry, deleteTimeEntry, getTimeEntry, listTimeEntries, updateTimeEntry, weekView, type WeekView } from './time-entries.ts';
export { discardTimer, getTimer, startTimer, stopTimer, switchTimer, type TimerInput } from './timer.ts';
export { amountForMinutes, billMinutes, ROUNDING_INCREMENTS, roundUpMinutes } from './time-rounding.ts';
export { listUnbilledWork, type CustomerWork, type PricedTime, type UnbilledFilter } from './unbilled.ts';
export {
  IMPORT_FORMATS, importingUser, importTimeEntries, parseImportFile, type ImportFormat, type ImportResult, type RowError,
} from './import/index.ts';
