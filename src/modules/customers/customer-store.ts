import { containsPattern, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import type { Customer, CustomerInput, InvoiceGrouping } from './customer.ts';

const SELECT = `
  select c.*, coalesce((
    select json_agg(json_build_object('id', t.id, 'name', t.name, 'email', t.email, 'receivesInvoices', t.receives_invoices) order by t.position)
    from contacts t where t.customer_id = c.id), '[]') as contacts
  from customers c`;

function fromRow(row: Record<string, any>): Customer {
  return {
    id: row.id, name: row.name, legalName: row.legal_name, email: row.email, taxId: row.tax_id, legalId: row.legal_id,
    address: row.address, currency: row.currency, paymentTermsType: row.payment_terms_type,
    paymentTermsDays: row.payment_terms_days, language: row.language, taxTreatment: row.tax_treatment, invoiceGrouping: row.invoice_grouping, notes: row.notes,
    contacts: row.contacts, archivedAt: row.archived_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertCustomer(tx: Tx, organizationId: string, input: CustomerInput): Promise<string> {
  const id = newId('cus');
  await tx.query(
    `insert into customers (id, organization_id, name, legal_name, email, tax_id, legal_id, address, currency,
       payment_terms_type, payment_terms_days, language, tax_treatment, notes, invoice_grouping)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      id, organizationId, input.name.trim(), input.legalName ?? null, input.email ?? null, input.taxId ?? null,
      input.legalId ?? null, input.address ? JSON.stringify(input.address) : null, input.currency,
      input.paymentTermsType ?? 'net', input.paymentTermsDays ?? 30, input.language ?? 'en',
      input.taxTreatment ?? 'standard', input.notes ?? null, input.invoiceGrouping ?? 'combined',
    ],
  );
  await replaceContacts(tx, organizationId, id, input.contacts ?? []);
  return id;
}

const COLUMNS: Record<string, string> = {
  name: 'name', legalName: 'legal_name', email: 'email', taxId: 'tax_id', legalId: 'legal_id', address: 'address',
  currency: 'currency', paymentTermsType: 'payment_terms_type', paymentTermsDays: 'payment_terms_days',
  language: 'language', taxTreatment: 'tax_treatment', invoiceGrouping: 'invoice_grouping', notes: 'notes',
};

export async function updateCustomerRow(tx: Tx, organizationId: string, id: string, changes: Partial<CustomerInput>): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [organizationId, id];
  for (const [key, column] of Object.entries(COLUMNS)) {
    if (!(key in changes)) continue;
    const value = changes[key as keyof CustomerInput];
    values.push(key === 'address' && value ? JSON.stringify(value) : value ?? null);
    sets.push(`${column} = $${values.length}`);
  }
  const { rowCount } = await tx.query(
    `update customers set ${[...sets, 'updated_at = now()'].join(', ')} where organization_id = $1 and id = $2`,
    values,
  );
  if (rowCount === 0) throw notFound('customer', id);
  if (changes.contacts) await replaceContacts(tx, organizationId, id, changes.contacts);
}

async function replaceContacts(tx: Tx, organizationId: string, customerId: string, contacts: NonNullable<CustomerInput['contacts']>): Promise<void> {
  await tx.query(`delete from contacts where customer_id = $1`, [customerId]);
  for (const [position, contact] of contacts.entries()) {
    await tx.query(
      `insert into contacts (id, organization_id, customer_id, name, email, receives_invoices, position) values ($1, $2, $3, $4, $5, $6, $7)`,
      [newId('con'), organizationId, customerId, contact.name ?? null, contact.email.trim(), contact.receivesInvoices ?? true, position],
    );
  }
}

export async function findCustomer(db: Queryable, organizationId: string, id: string, lock = false): Promise<Customer> {
  const { rows } = await db.query(`${SELECT} where c.organization_id = $1 and c.id = $2${lock ? ' for no key update of c' : ''}`, [organizationId, id]);
  if (!rows[0]) throw notFound('customer', id);
  return fromRow(rows[0]);
}

export type CustomerFilter = { search?: string; includeArchived?: boolean; cursor?: string; limit: number };

/** Alphabetical, with a cursor on (lower(name), id) so names that repeat still page correctly. */
export async function listCustomerRows(db: Queryable, organizationId: string, filter: CustomerFilter): Promise<Page<Customer>> {
  const after = decodeCursor(filter.cursor, 2);
  const search = containsPattern(filter.search);
  const { rows } = await db.query(
    `${SELECT}
     where c.organization_id = $1
       and ($2::text is null or c.name ilike $2 or c.email ilike $2 or c.legal_name ilike $2 or c.tax_id ilike $2)
       and ($3::boolean or c.archived_at is null)
       and ($4::text is null or (lower(c.name), c.id) > ($4, $5))
     order by lower(c.name), c.id limit $6`,
    [organizationId, search, filter.includeArchived ?? false, after?.[0] ?? null, after?.[1] ?? null, filter.limit + 1],
  );
  return pageOf(rows.map(fromRow), filter.limit, (customer) => [customer.name.toLowerCase(), customer.id]);
}

export async function setArchived(tx: Tx, organizationId: string, id: string, archived: boolean): Promise<void> {
  const { rowCount } = await tx.query(
    `update customers set archived_at = case when $3 then coalesce(archived_at, now()) end, updated_at = now()
     where organization_id = $1 and id = $2`,
    [organizationId, id, archived],
  );
  if (rowCount === 0) throw notFound('customer', id);
}

/** Customers with documents are history: the foreign keys refuse to delete them; archive instead. */
export async function deleteCustomerRow(tx: Tx, organizationId: string, id: string): Promise<void> {
  await findCustomer(tx, organizationId, id, true);
  try {
    await tx.query('savepoint delete_customer');
    await tx.query(`delete from contacts where customer_id = $1`, [id]);
    await tx.query(`delete from customers where organization_id = $1 and id = $2`, [organizationId, id]);
  } catch (error) {
    if ((error as { code?: string }).code !== '23503') throw error;
    await tx.query('rollback to savepoint delete_customer');
    throw conflict('customer_has_documents', 'This customer has invoices or payments; archive it instead.');
  }
}

/** Customers in id order, a page at a time, with what a billing run needs to know of them. */
export async function customerBatch(
  db: Queryable, organizationId: string, after: string | null, limit: number,
): Promise<Array<{ id: string; currency: string; archived: boolean; invoiceGrouping: InvoiceGrouping }>> {
  const { rows } = await db.query(
    `select id, currency, archived_at is not null as archived, invoice_grouping from customers
     where organization_id = $1 and ($2::text is null or id > $2) order by id limit $3`,
    [organizationId, after, limit],
  );
  return rows.map((row) => ({ id: row.id, currency: row.currency, archived: row.archived, invoiceGrouping: row.invoice_grouping }));
}

export async function countCustomers(db: Queryable, organizationId: string): Promise<number> {
  const { rows } = await db.query(`select count(*)::int as count from customers where organization_id = $1`, [organizationId]);
  return rows[0].count;
}
