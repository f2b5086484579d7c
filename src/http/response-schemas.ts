import { Type } from 'typebox';
import { INVOICE_STATUSES } from '../modules/invoicing/index.ts';
import { Address, Nullable } from './schemas.ts';

// What the API returns, for the OpenAPI document and fast serialization. A field missing here
// is dropped from responses, so each mirrors its serializer in serializers.ts exactly.

const Str = Type.String();
const NStr = Nullable(Type.String());
const Amount = Type.String({ description: 'decimal string in the currency of the document' });

export const CustomerResponse = Type.Object(
  {
    id: Str, name: Str, legalName: NStr, email: NStr, taxId: NStr, legalId: NStr, address: Nullable(Address), currency: Str,
    paymentTermsType: Type.Union([Type.Literal('net'), Type.Literal('end_of_month')]), paymentTermsDays: Type.Integer(),
    language: Str, taxTreatment: Str, invoiceGrouping: Str, notes: NStr,
    contacts: Type.Array(Type.Object({ id: Str, name: NStr, email: Str, receivesInvoices: Type.Boolean() })),
    archivedAt: NStr, createdAt: Str, updatedAt: Str,
    balance: Type.Optional(Amount), creditBalance: Type.Optional(Amount),
    balances: Type.Optional(Type.Array(Type.Object({ currency: Str, balance: Amount, creditBalance: Amount }))),
  },
);

export const TaxRateResponse = Type.Object(
  { id: Str, name: Str, percentage: Str, category: Str, exemptionReason: NStr, compound: Type.Boolean(), archivedAt: NStr },
);

export const ItemResponse = Type.Object(
  {
    id: Str, name: Str, description: NStr, unit: Str, unitPrice: Str, taxRateIds: Type.Array(Str),
    trackStock: Type.Boolean(), quantityOnHand: Str, lowStockThreshold: NStr, archivedAt: NStr,
  },
);

const TaxSnapshot = Type.Object({ id: Str, name: Str, percentage: Str, category: Str, exemptionReason: NStr, compound: Type.Boolean() });

const TaxBreakdown = Type.Array(
  Type.Object({ taxRateId: Str, name: Str, category: Str, percentage: Str, exemptionReason: NStr, compound: Type.Boolean(), taxable: Amount, tax: Amount }),
);

const documentLine = {
  id: Str, position: Type.Integer(), description: Str, quantity: Str, unit: NStr, unitPrice: Str, discountPercent: Str,
  taxRateIds: Type.Array(Str), taxes: Type.Array(TaxSnapshot), amount: Amount, discount: Amount, net: Amount,
};

export const InvoiceResponse = Type.Object(
  {
    id: Str,
    status: Type.Enum(INVOICE_STATUSES),
    number: NStr, customerId: Str, currency: Str, priceMode: Str, issueDate: NStr, dueDate: NStr,
    purchaseOrder: NStr, reference: NStr, notes: NStr, terms: NStr, discountPercent: Str,
    lines: Type.Array(Type.Object({ ...documentLine, itemId: NStr, serviceStart: NStr, serviceEnd: NStr })),
    subtotal: Amount, discountTotal: Amount, taxTotal: Amount, taxBreakdown: TaxBreakdown, total: Amount,
    amountPaid: Amount, amountCredited: Amount, amountDue: Amount,
    customer: Nullable(Type.Object({}, { additionalProperties: true, description: 'the customer as it was when the invoice was issued' })),
    voidReason: NStr, createdAt: Str, issuedAt: NStr, voidedAt: NStr,
  },
);

export const CreditNoteResponse = Type.Object(
  {
    id: Str, number: Str, invoiceId: Str, customerId: Str, currency: Str, issueDate: Str, reason: NStr, priceMode: Str, discountPercent: Str,
    lines: Type.Array(Type.Object({ ...documentLine, invoiceLineId: NStr })),
    subtotal: Amount, discountTotal: Amount, taxTotal: Amount, taxBreakdown: TaxBreakdown, total: Amount,
    appliedToInvoice: Amount, creditedToCustomer: Amount, createdAt: Str,
  },
);

export const PaymentResponse = Type.Object(
  {
    id: Str, customerId: Str, amount: Amount, currency: Str, date: Str, method: Str, reference: NStr, notes: NStr,
    allocations: Type.Array(Type.Object({ invoiceId: Str, invoiceNumber: Str, amount: Amount })),
    unallocated: Amount, createdAt: Str,
  },
);

