export { STANDARD_CHART, type SystemAccount } from './accounts.ts';
export { insertStandardChart } from './ledger-store.ts';
export { postJournalEntries, postJournalEntry, reverseEntriesOf, type Posting, type PostingLine } from './post-journal-entry.ts';
export { balancesByCustomer, customerCurrencyKey, trialBalance, unbalancedEntries, type TrialBalanceRow } from './trial-balance.ts';
