export type { CreditNote, CreditNoteLine } from './credit-note-store.ts';
export { createCreditNote, createCreditNoteIn, type CreditNoteInput, type CreditNoteLineInput } from './create-credit-note.ts';
export { formatDocumentNumber, validateNumberPattern } from './document-number.ts';
export { draftSummary, insertPreparedDrafts, prepareDraftsFromLines, type DraftFromLines, type PreparedDraft, type DraftSummary, type PreparedLineInput } from './draft-from-charges.ts';
export { createDraftInvoice, deleteDraftInvoice, previewInvoice, updateDraftInvoice, type DraftInput } from './draft-invoice.ts';
export {
  insertDraftInvoice, MAX_LINES, prepareDocument, type DocumentInput, type InvoiceLineInput, type PreparedDocument, type PreparedLine,
} from './prepare-document.ts';
export {
  deriveStatus, INVOICE_STATUSES, type Invoice, type InvoiceLine, type InvoiceStatus, type PriceMode, type TaxBreakdownLine, type TaxSnapshot,
} from './invoice.ts';
export type { InvoiceFilter } from './invoice-store.ts';
export { getCreditNote, getInvoice, listCreditNotes, listInvoices } from './invoices.ts';
export { issueInvoice, voidInvoice } from './issue-invoice.ts';
export { createDefaultNumberSeries, listNumberSeries, takeNextNumber, updateNumberSeries, type DocumentType, type NumberSeries } from './number-series-store.ts';
export { insertSettlements, lockInvoices, lockOpenInvoices, openBalancesByCustomer, type OpenInvoice } from './settlements.ts';
export { todayFor } from './today.ts';
export {
  approvalOf, createApprovalRule, decideInvoice, deleteApprovalRule, listApprovalRules, matchingRules, updateApprovalRule,
  type Approval, type ApprovalRule, type ApprovalRuleInput, type ApprovalStatus,
} from './approvals.ts';
