import { inTransaction, type Pool, type Queryable } from '../../shared/db.ts';
import { invalid } from '../../shared/errors.ts';
import type { Page } from '../../shared/pagination.ts';
import { balancesByCustomer, customerCurrencyKey } from '../ledger/index.ts';
import { validateCustomer, type Customer, type CustomerInput } from './customer.ts';
import {
  deleteCustomerRow, findCustomer, insertCustomer, listCustomerRows, setArchived, updateCustomerRow, type CustomerFilter,
} from './customer-store.ts';

export type CurrencyBalance = { currency: string; balanceMinor: bigint; creditMinor: bigint };
export type CustomerWithBalance = Customer & { balances: CurrencyBalance[] };

export async function createCustomer(pool: Pool, organizationId: string, input: CustomerInput): Promise<Customer> {
  validateCustomer(input);
  return inTransaction(pool, async (tx) => findCustomer(tx, organizationId, await insertCustomer(tx, organizationId, input)));
}

export async function updateCustomer(pool: Pool, organizationId: string, id: string, changes: Partial<CustomerInput>): Promise<Customer> {
  validateCustomer(changes);
  return inTransaction(pool, async (tx) => {
    const current = await findCustomer(tx, organizationId, id, true);
    if (changes.currency && changes.currency !== current.currency && (await hasLedgerActivity(tx, organizationId, id))) {
      throw invalid('currency', 'cannot change once the customer has documents; create a customer for the other currency');
    }
    await updateCustomerRow(tx, organizationId, id, changes);
    return findCustomer(tx, organizationId, id);
  });
}

async function hasLedgerActivity(db: Queryable, organizationId: string, customerId: string): Promise<boolean> {
  return (await balancesByCustomer(db, organizationId, 'receivable', [customerId])).size > 0;
}

export function getCustomer(db: Queryable, organizationId: string, id: string): Promise<Customer> {
  return findCustomer(db, organizationId, id);
}

/** Balances come from the ledger, the one record of who owes what; never a stored copy. */
async function withBalances(db: Queryable, organizationId: string, customers: Customer[]): Promise<CustomerWithBalance[]> {
  const ids = customers.map((customer) => customer.id);
  const receivable = await balancesByCustomer(db, organizationId, 'receivable', ids);
  const credit = await balancesByCustomer(db, organizationId, 'customer_credit', ids);
  return customers.map((customer) => {
    const currencies = new Set([customer.currency]);
    for (const key of [...receivable.keys(), ...credit.keys()]) {
      const [owner, currency] = key.split('/');
      if (owner === customer.id && currency) currencies.add(currency);
    }
    const balances = [...currencies].map((currency) => ({
      currency,
      balanceMinor: receivable.get(customerCurrencyKey(customer.id, currency)) ?? 0n,
      creditMinor: credit.get(customerCurrencyKey(customer.id, currency)) ?? 0n,
    }));
    return { ...customer, balances };
  });
}

export async function getCustomerWithBalance(db: Queryable, organizationId: string, id: string): Promise<CustomerWithBalance> {
  const [customer] = await withBalances(db, organizationId, [await findCustomer(db, organizationId, id)]);
  return customer!;
}

export async function listCustomers(db: Queryable, organizationId: string, filter: CustomerFilter): Promise<Page<CustomerWithBalance>> {
  const page = await listCustomerRows(db, organizationId, filter);
  return { ...page, data: await withBalances(db, organizationId, page.data) };
}

export async function archiveCustomer(pool: Pool, organizationId: string, id: string, archived = true): Promise<Customer> {
  return inTransaction(pool, async (tx) => {
    await setArchived(tx, organizationId, id, archived);
    return findCustomer(tx, organizationId, id);
  });
}

export async function deleteCustomer(pool: Pool, organizationId: string, id: string): Promise<void> {
  await inTransaction(pool, (tx) => deleteCustomerRow(tx, organizationId, id));
}
