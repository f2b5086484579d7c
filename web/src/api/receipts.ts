import type { Expense } from './work.ts';

// Expense receipts (src/http/routes/work-billing.ts, src/modules/work/expense.ts): sent as base64
// in JSON, read back as the file at `url`.

export type ReceiptInfo = { filename: string; contentType: string; sizeBytes: number; url: string };

/** The receipt of an expense from the API (the shared Expense type leaves it out). */
export function receiptOf(expense: Expense): ReceiptInfo | null {
  return (expense as Expense & { receipt?: ReceiptInfo | null }).receipt ?? null;
}

/** What the API accepts: pictures and PDFs, at most 5 MiB. */
export const RECEIPT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic'];
export const MAX_RECEIPT_BYTES = 5 * 1024 * 1024;

export type ReceiptUpload = { filename: string; contentType: string; data: string };

/** A chosen file as the API's receipt body, or an error message to show before sending anything. */
export async function receiptUpload(file: File): Promise<ReceiptUpload | string> {
  const contentType = file.type.toLowerCase();
  if (!RECEIPT_TYPES.includes(contentType)) return 'A receipt must be a PDF or a picture (PNG, JPEG, GIF, WebP or HEIC).';
  if (file.size === 0) return 'The file is empty.';
  if (file.size > MAX_RECEIPT_BYTES) return 'A receipt may be at most 5 MB.';
  return { filename: file.name, contentType, data: await toBase64(file) };
}

/** The file's bytes in base64, through a data: URL (no string building byte by byte). */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(Math.round((bytes / (1024 * 1024)) * 10) / 10).toString()} MB`;
}
