export { DASHBOARD_LIST_LIMIT, getDashboard, type Dashboard } from './dashboard.ts';
export { verifyLedger, type LedgerCheck, type LedgerVerification } from './verify-ledger.ts';
