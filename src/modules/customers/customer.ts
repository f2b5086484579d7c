import { assertCurrency } from '../../shared/currencies.ts';
import { invalid } from '../../shared/errors.ts';
import { assertCountry, assertEmail } from '../../shared/validation.ts';
import { addDays, endOfMonth } from '../../shared/calendar.ts';

export type Address = { line1: string; line2?: string; city: string; postalCode: string; region?: string; country: string };
export type PaymentTermsType = 'net' | 'end_of_month';
export type TaxTreatment = 'standard' | 'reverse_charge' | 'exempt';
/** How the billing run groups what is due: one invoice per customer and currency, or one per contract. */
export type InvoiceGrouping = 'combined' | 'per_contract';
export type Contact = { id: string; name: string | null; email: string; receivesInvoices: boolean };

export type Customer = {
  id: string;
  name: string;
  legalName: string | null;
  email: string | null;
  taxId: string | null;
  legalId: string | null;
  address: Address | null;
  currency: string;
  paymentTermsType: PaymentTermsType;
  paymentTermsDays: number;
  language: string;
  taxTreatment: TaxTreatment;
  invoiceGrouping: InvoiceGrouping;
  notes: string | null;
  contacts: Contact[];
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type CustomerInput = {
  name: string;
  legalName?: string | null;
  email?: string | null;
  taxId?: string | null;
  legalId?: string | null;
  address?: Address | null;
  currency: string;
  paymentTermsType?: PaymentTermsType;
  paymentTermsDays?: number;
  language?: string;
  taxTreatment?: TaxTreatment;
  invoiceGrouping?: InvoiceGrouping;
  notes?: string | null;
  contacts?: Array<{ name?: string | null; email: string; receivesInvoices?: boolean }>;
};

/** Business rules on a customer's fields; the HTTP schema has already checked their shapes. */
export function validateCustomer(input: Partial<CustomerInput>): void {
  if (input.name !== undefined && input.name.trim() === '') throw invalid('name', 'must not be empty');
  if (input.currency !== undefined) assertCurrency(input.currency, 'currency');
  if (input.email) assertEmail(input.email, 'email');
  if (input.address) assertCountry(input.address.country, 'address.country');
  const days = input.paymentTermsDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > 365)) {
    throw invalid('paymentTermsDays', 'must be a whole number of days from 0 to 365');
  }
  input.contacts?.forEach((contact, index) => assertEmail(contact.email, `contacts.${index}.email`));
}

/** Net N days from the issue date, or N days after the end of the issue month. */
export function dueDateFor(terms: { paymentTermsType: PaymentTermsType; paymentTermsDays: number }, issueDate: string): string {
  const start = terms.paymentTermsType === 'end_of_month' ? endOfMonth(issueDate) : issueDate;
  return addDays(start, terms.paymentTermsDays);
}

/** Where invoices go: the contacts that receive them, else the customer's own address. */
export function invoiceRecipients(customer: Customer): string[] {
  const contacts = customer.contacts.filter((contact) => contact.receivesInvoices).map((contact) => contact.email);
  return contacts.length > 0 ? contacts : customer.email ? [customer.email] : [];
}
