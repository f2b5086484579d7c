import type { Clock } from '../../shared/clock.ts';
import type { Queryable } from '../../shared/db.ts';
import type { Page } from '../../shared/pagination.ts';
import { findCreditNote, listCreditNoteRows, type CreditNote } from './credit-note-store.ts';
import type { Invoice } from './invoice.ts';
import { findInvoice, listInvoiceRows, type InvoiceFilter } from './invoice-store.ts';
import { todayFor } from './today.ts';

export async function getInvoice(db: Queryable, clock: Clock, organizationId: string, id: string): Promise<Invoice> {
  return findInvoice(db, organizationId, id, await todayFor(db, organizationId, clock));
}

export async function listInvoices(db: Queryable, clock: Clock, organizationId: string, filter: InvoiceFilter): Promise<Page<Invoice>> {
  return listInvoiceRows(db, organizationId, filter, await todayFor(db, organizationId, clock));
}

export function getCreditNote(db: Queryable, organizationId: string, id: string): Promise<CreditNote> {
  return findCreditNote(db, organizationId, id);
}

export function listCreditNotes(db: Queryable, organizationId: string, filter: { invoiceId?: string; customerId?: string }): Promise<CreditNote[]> {
  return listCreditNoteRows(db, organizationId, filter);
}
