export type { Charge, ChargeLine, ChargePage, ChargeSource } from './charge.ts';
export { finishedRunExists, findRun as getBillingRun, listRunRows as listBillingRuns, type BillingRun } from './billing-store.ts';
export {
  CHARGE_SOURCES, runBilling, type BilledInvoice, type BillingProgress, type BillingRunOptions, type BillingRunResult, type ChargeKey, type SkippedCharge,
} from './run-billing.ts';
