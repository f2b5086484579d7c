// The JSON shapes of the Accrue API (src/http/response-schemas.ts). Amounts, quantities, prices
// and percentages are decimal strings beside a currency: the browser never does money arithmetic
// in floating point.

export type Role = 'owner' | 'admin' | 'bookkeeper' | 'member';

export type SessionUser = { id: string; email: string; name: string | null; role: Role };
export type SessionOrganization = { id: string; legalName: string; baseCurrency: string; timeZone: string; locale: string };
export type Session = { user: SessionUser; organization: SessionOrganization; csrfToken: string };

export type Problem = {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
};

export type Page<T> = { data: T[]; nextCursor: string | null };

export type Address = { line1: string; line2?: string; city: string; postalCode: string; region?: string; country: string };

export type Customer = {
  id: string;
  name: string;
  legalName: string | null;
  email: string | null;
  taxId: string | null;
  legalId: string | null;
  address: Address | null;
  currency: string;
  paymentTermsType: 'net' | 'end_of_month';
  paymentTermsDays: number;
  language: string;
  taxTreatment: 'standard' | 'reverse_charge' | 'exempt' | string;
  /** How the billing run groups what is due: one invoice per currency, or one per contract. */
  invoiceGrouping: InvoiceGrouping;
  notes: string | null;
  contacts: Array<{ id: string; name: string | null; email: string; receivesInvoices: boolean }>;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  balance?: string;
  creditBalance?: string;
  balances?: Array<{ currency: string; balance: string; creditBalance: string }>;
};

export type InvoiceGrouping = 'combined' | 'per_contract';

export type TaxRate = {
  id: string;
  name: string;
  percentage: string;
  category: string;
  exemptionReason: string | null;
  compound: boolean;
  archivedAt: string | null;
};

export type Item = {
  id: string;
  name: string;
  description: string | null;
  unit: string;
  unitPrice: string;
  taxRateIds: string[];
  archivedAt: string | null;
};

export type InvoiceStatus = 'draft' | 'open' | 'partially_paid' | 'paid' | 'overdue' | 'void';
export const INVOICE_STATUSES: InvoiceStatus[] = ['draft', 'open', 'partially_paid', 'paid', 'overdue', 'void'];

export type TaxSnapshot = { id: string; name: string; percentage: string; category: string; exemptionReason: string | null; compound: boolean };

export type TaxBreakdownLine = {
  taxRateId: string;
  name: string;
  category: string;
  percentage: string;
  exemptionReason: string | null;
  compound: boolean;
  taxable: string;
  tax: string;
};

/** A line of an invoice or of a credit note. */
export type DocumentLine = {
  id: string;
  position: number;
  description: string;
  quantity: string;
  unit: string | null;
  unitPrice: string;
  discountPercent: string;
  taxRateIds: string[];
  taxes: TaxSnapshot[];
  amount: string;
  discount: string;
  net: string;
};

export type InvoiceLine = DocumentLine & { itemId: string | null; serviceStart: string | null; serviceEnd: string | null };

export type Invoice = {
  id: string;
  status: InvoiceStatus;
  number: string | null;
  customerId: string;
  currency: string;
  priceMode: 'exclusive' | 'inclusive' | string;
  issueDate: string | null;
  dueDate: string | null;
  purchaseOrder: string | null;
  reference: string | null;
  notes: string | null;
  terms: string | null;
  discountPercent: string;
  lines: InvoiceLine[];
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  taxBreakdown: TaxBreakdownLine[];
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountDue: string;
  customer: Record<string, unknown> | null;
  voidReason: string | null;
  createdAt: string;
  issuedAt: string | null;
  voidedAt: string | null;
};

export type InvoiceLineInput = {
  itemId?: string;
  description?: string;
  quantity: string;
  unit?: string;
  unitPrice?: string;
  discountPercent?: string;
  taxRateIds?: string[];
};

export type InvoiceInput = {
  customerId: string;
  currency?: string;
  priceMode?: 'exclusive' | 'inclusive';
  lines: InvoiceLineInput[];
  discountPercent?: string;
  purchaseOrder?: string | null;
  reference?: string | null;
  notes?: string | null;
  terms?: string | null;
};

export type CreditNote = {
  id: string;
  number: string;
  invoiceId: string;
  customerId: string;
  currency: string;
  issueDate: string;
  reason: string | null;
  /** Lines that credit an invoice line name it; lines of a credit by amount do not. */
  lines: Array<DocumentLine & { invoiceLineId: string | null }>;
  total: string;
  subtotal: string;
  taxTotal: string;
  appliedToInvoice: string;
  creditedToCustomer: string;
  createdAt: string;
};

export type PaymentMethod = 'bank_transfer' | 'card' | 'cash' | 'cheque' | 'other';
export const PAYMENT_METHODS: PaymentMethod[] = ['bank_transfer', 'card', 'cash', 'cheque', 'other'];

export type Payment = {
  id: string;
  customerId: string;
  amount: string;
  currency: string;
  date: string;
  method: PaymentMethod;
  reference: string | null;
  notes: string | null;
  allocations: Array<{ invoiceId: string; invoiceNumber: string; amount: string }>;
  unallocated: string;
  createdAt: string;
};

export type Organization = {
  id: string;
  legalName: string;
  taxId: string | null;
  address: Address | null;
  email: string | null;
  baseCurrency: string;
  timeZone: string;
  locale: string;
  roundingMode: 'half_up' | 'half_even';
  createdAt: string;
};

export type NumberSeries = { id: string; documentType: 'invoice' | 'credit_note' | string; pattern: string; resetYearly: boolean };

export type User = { id: string; email: string; name: string | null; role: Role; createdAt?: string; lastSignInAt?: string | null };

export type Invitation = { url: string; email?: string; role?: Role; expiresAt?: string; token?: string };

export type Dashboard = {
  currency: string;
  outstanding: string;
  overdue: string;
  paidThisMonth: string;
  invoicesByStatus: Array<{ status: InvoiceStatus; count: number; total: string }>;
  monthly: Array<{ month: string; invoiced: string; collected: string }>;
  overdueInvoices: Array<{ id: string; number: string; customerId: string; customerName: string; dueDate: string; amountDue: string; daysOverdue: number }>;
  drafts: Array<{ id: string; customerId: string; customerName: string; total: string; createdAt: string }>;
};
