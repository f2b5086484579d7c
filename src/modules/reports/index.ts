export { verifyLedger, type LedgerCheck, type LedgerVerification } from './verify-ledger.ts';
