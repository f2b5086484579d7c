import { decimal, percentOf, add, fromMinor, parseDecimal, toDecimalString, type RoundingMode } from '../../shared/decimal.ts';
import { invalid } from '../../shared/errors.ts';
import { roundToMinor } from '../../shared/money.ts';
import { currencyMinorUnits } from '../../shared/currencies.ts';

export type ReceiptInfo = { filename: string; contentType: string; sizeBytes: number };

export type Expense = {
  id: string;
  userId: string;
  projectId: string;
  date: string;
  amountMinor: bigint;
  currency: string;
  category: string;
  description: string;
  billable: boolean;
  markupPercent: string;
  /** What the customer is charged: the amount plus the markup, rounded once. */
  billedAmountMinor: bigint;
  receipt: ReceiptInfo | null;
  invoiceLineId: string | null;
  invoiceId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type ReceiptInput = { filename: string; contentType: string; data: string };

export type ExpenseInput = {
  projectId: string;
  userId?: string;
  date: string;
  amount: string;
  currency?: string;
  category: string;
  description?: string;
  billable?: boolean;
  markupPercent?: string;
  receipt?: ReceiptInput | null;
};

export type ExpenseChanges = Partial<Omit<ExpenseInput, 'userId'>>;

export const MAX_RECEIPT_BYTES = 5 * 1024 * 1024;

/** What a receipt may be: pictures and PDFs, which browsers show without running anything. */
export const RECEIPT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic'] as const;

export type Receipt = { filename: string; contentType: string; data: Buffer };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeReceipt(input: ReceiptInput): Receipt {
  // Only the last path segment: some browsers send C:\fakepath\scan.pdf.
  const filename = input.filename.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!filename || filename.length > 255) throw invalid('receipt.filename', 'must be a file name of 1 to 255 characters');
  const contentType = input.contentType.toLowerCase();
  if (!(RECEIPT_TYPES as readonly string[]).includes(contentType)) throw invalid('receipt.contentType', `must be one of ${RECEIPT_TYPES.join(', ')}`);
  if (input.data.length % 4 !== 0 || !BASE64.test(input.data)) throw invalid('receipt.data', 'must be the file in base64');
  // Checked on the text first, so an oversized upload is refused before it is decoded.
  if ((input.data.length / 4) * 3 > MAX_RECEIPT_BYTES + 2) throw invalid('receipt.data', 'must be at most 5 MiB', 'receipt_too_large');
  const data = Buffer.from(input.data, 'base64');
  if (data.length === 0) throw invalid('receipt.data', 'must not be empty');
  if (data.length > MAX_RECEIPT_BYTES) throw invalid('receipt.data', 'must be at most 5 MiB', 'receipt_too_large');
  return { filename, contentType, data };
}

export function parseMarkup(text: string | undefined): string {
  if (text === undefined) return '0';
  const value = parseDecimal(text, 'markupPercent', { maxScale: 4, maxIntegerDigits: 4, allowNegative: false });
  if (value.units > 1000n * 10n ** BigInt(value.scale)) throw invalid('markupPercent', 'must be between 0 and 1000');
  return toDecimalString(value);
}

/** amount × (1 + markup / 100), rounded once to the currency's minor unit. */
export function withMarkup(amountMinor: bigint, currency: string, markupPercent: string, mode: RoundingMode): bigint {
  const amount = fromMinor(amountMinor, currencyMinorUnits(currency));
  return roundToMinor(add(amount, percentOf(amount, decimal(markupPercent))), currency, mode);
}
