import { parseIsoDate } from '../../shared/calendar.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { formatAmount, parseAmount } from '../../shared/money.ts';
import type { Page } from '../../shared/pagination.ts';
import { getOrganization } from '../access/index.ts';
import { decodeReceipt, parseMarkup, type Expense, type ExpenseChanges, type ExpenseInput, type Receipt } from './expense.ts';
import {
  deleteExpenseRow, findExpense, findReceipt, insertExpense, listExpenseRows, replaceReceipt, updateExpenseRow, type ExpenseFilter,
} from './expense-store.ts';
import type { Project } from './project.ts';
import { actingUser, activeProjectField, projectField, userField } from './references.ts';

async function roundingOf(db: Queryable, organizationId: string) {
  return (await getOrganization(db, organizationId)).roundingMode;
}

/** Expenses are billed to the project's customer, so they are in the customer's currency. */
function amountIn(project: Project, amount: string, currency: string | undefined): { amountMinor: bigint; currency: string } {
  if (currency !== undefined && currency !== project.currency) {
    throw invalid('currency', `must be the currency of the project's customer (${project.currency})`, 'currency_mismatch');
  }
  const amountMinor = parseAmount(amount, project.currency, 'amount');
  if (amountMinor <= 0n) throw invalid('amount', 'must be more than zero');
  return { amountMinor, currency: project.currency };
}

function category(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw invalid('category', 'must not be blank');
  return trimmed;
}

function find(tx: Tx, organizationId: string, id: string, opts: { lock?: boolean } = {}): Promise<Expense> {
  return roundingOf(tx, organizationId).then((mode) => findExpense(tx, organizationId, id, mode, opts));
}

export async function createExpense(pool: Pool, organizationId: string, actorUserId: string | null, input: ExpenseInput): Promise<Expense> {
  const receipt = input.receipt ? decodeReceipt(input.receipt) : null; // decoded before a connection is taken
  return inTransaction(pool, async (tx) => {
    const userId = input.userId === undefined ? actingUser(actorUserId) : await userField(tx, organizationId, input.userId);
    const project = await activeProjectField(tx, organizationId, input.projectId);
    const id = await insertExpense(tx, organizationId, {
      userId, projectId: project.id, date: parseIsoDate(input.date, 'date'), ...amountIn(project, input.amount, input.currency),
      category: category(input.category), description: input.description?.trim() ?? '', billable: input.billable ?? true,
      markupPercent: parseMarkup(input.markupPercent),
    });
    if (receipt) await replaceReceipt(tx, organizationId, id, receipt);
    return find(tx, organizationId, id);
  });
}

function assertUnbilled(expense: Expense, action: string): void {
  if (expense.invoiceId) throw conflict('expense_locked', `This expense is billed on an invoice and cannot be ${action}.`);
}

export async function updateExpense(pool: Pool, organizationId: string, id: string, changes: ExpenseChanges): Promise<Expense> {
  const receipt: Receipt | null | undefined = changes.receipt ? decodeReceipt(changes.receipt) : changes.receipt;
  return inTransaction(pool, async (tx) => {
    const current = await find(tx, organizationId, id, { lock: true });
    assertUnbilled(current, 'changed');
    const moved = changes.projectId !== undefined && changes.projectId !== current.projectId;
    const project = moved ? await activeProjectField(tx, organizationId, changes.projectId!) : await projectField(tx, organizationId, current.projectId);
    const money = changes.amount === undefined && changes.currency === undefined && project.id === current.projectId
      ? { amountMinor: current.amountMinor, currency: current.currency }
      : amountIn(project, changes.amount ?? formatAmount(current.amountMinor, current.currency), changes.currency ?? current.currency);
    await updateExpenseRow(tx, organizationId, id, {
      projectId: project.id, date: changes.date === undefined ? current.date : parseIsoDate(changes.date, 'date'), ...money,
      category: changes.category === undefined ? current.category : category(changes.category),
      description: changes.description?.trim() ?? current.description, billable: changes.billable ?? current.billable,
      markupPercent: changes.markupPercent === undefined ? current.markupPercent : parseMarkup(changes.markupPercent),
    });
    if (receipt !== undefined) await replaceReceipt(tx, organizationId, id, receipt);
    return find(tx, organizationId, id);
  });
}

export async function deleteExpense(pool: Pool, organizationId: string, id: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    assertUnbilled(await find(tx, organizationId, id, { lock: true }), 'deleted');
    await deleteExpenseRow(tx, organizationId, id);
  });
}

export async function getExpense(db: Queryable, organizationId: string, id: string): Promise<Expense> {
  return findExpense(db, organizationId, id, await roundingOf(db, organizationId));
}

export async function listExpenses(db: Queryable, organizationId: string, filter: ExpenseFilter): Promise<Page<Expense>> {
  return listExpenseRows(db, organizationId, filter, await roundingOf(db, organizationId));
}

export function getReceipt(db: Queryable, organizationId: string, expenseId: string): Promise<Receipt> {
  return findReceipt(db, organizationId, expenseId);
}
