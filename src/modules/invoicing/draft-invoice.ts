import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { conflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Invoice } from './invoice.ts';
import { deleteDraftRows, findInvoice, insertDraft, replaceDraft, type NewLine } from './invoice-store.ts';
import { prepareDocument, type DocumentInput } from './prepare-document.ts';
import { todayFor } from './today.ts';

export type DraftInput = DocumentInput & {
  purchaseOrder?: string | null;
  reference?: string | null;
  notes?: string | null;
  terms?: string | null;
};

export async function createDraftInvoice(pool: Pool, clock: Clock, organizationId: string, input: DraftInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const id = newId('inv');
    const { header, lines } = await prepareDraft(tx, organizationId, id, input);
    await insertDraft(tx, organizationId, header, lines);
    return findInvoice(tx, organizationId, id, await todayFor(tx, organizationId, clock));
  });
}

/**
 * What `createDraftInvoice` would make of `input`, computed the same way and saved nowhere: the
 * draft as it would read back, with id "preview" (and lines "preview_line_<n>").
 */
export async function previewInvoice(pool: Pool, clock: Clock, organizationId: string, input: DraftInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    await tx.query('set transaction read only');
    const { header, lines } = await prepareDraft(tx, organizationId, 'preview', input);
    return {
      ...header, state: 'draft', status: 'draft', number: null, issueDate: null, dueDate: null,
      lines: lines.map((line) => ({ ...line, id: `preview_line_${line.position}` })),
      amountPaidMinor: 0n, amountCreditedMinor: 0n, amountDueMinor: header.totalMinor,
      customerSnapshot: null, voidReason: null, createdAt: clock.now().toISOString(), issuedAt: null, voidedAt: null,
    };
  });
}

/** Replaces a draft's content; only drafts can change, and they change whole. */
export async function updateDraftInvoice(pool: Pool, clock: Clock, organizationId: string, id: string, input: DraftInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const current = await findInvoice(tx, organizationId, id, today, { lock: true });
    if (current.state !== 'draft') throw conflict('invoice_not_draft', `Invoice ${current.number} is issued; void it or issue a credit note instead.`);
    const { header, lines } = await prepareDraft(tx, organizationId, id, input);
    await replaceDraft(tx, organizationId, header, lines);
    return findInvoice(tx, organizationId, id, today);
  });
}

export async function deleteDraftInvoice(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    const current = await findInvoice(tx, organizationId, id, await todayFor(tx, organizationId, clock), { lock: true });
    if (current.state !== 'draft') throw conflict('invoice_not_draft', `Invoice ${current.number} is issued and cannot be deleted; void it instead.`);
    await deleteDraftRows(tx, id);
  });
}

async function prepareDraft(tx: Tx, organizationId: string, id: string, input: DraftInput) {
  const { lines, ...document } = await prepareDocument(tx, organizationId, input);
  const header = {
    ...document, id,
    purchaseOrder: input.purchaseOrder ?? null, reference: input.reference ?? null, notes: input.notes ?? null, terms: input.terms ?? null,
  };
  const newLines: NewLine[] = lines.map((line) => ({ ...line, id: newId('lin') }));
  return { header, lines: newLines };
}
