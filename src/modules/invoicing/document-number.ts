import { invalid } from '../../shared/errors.ts';

/**
 * Number patterns such as `INV-{YYYY}-{seq:4}`: {YYYY} and {YY} the year, {MM} the month of the
 * issue date, {seq:N} the sequence zero-padded to N digits. A pattern must contain {seq}.
 */
const TOKEN = /\{(YYYY|YY|MM|seq(?::(\d))?)\}/g;

export function validateNumberPattern(pattern: string, field: string): string {
  if (pattern.length === 0 || pattern.length > 60) throw invalid(field, 'must be 1 to 60 characters');
  const tokens = [...pattern.matchAll(TOKEN)].map((match) => match[1]);
  if (tokens.filter((token) => token?.startsWith('seq')).length !== 1) {
    throw invalid(field, 'must contain the sequence exactly once, as {seq} or {seq:4}');
  }
  if (pattern.replaceAll(TOKEN, '').includes('{')) throw invalid(field, 'has an unknown {token}; use {YYYY}, {YY}, {MM}, {seq:N}');
  return pattern;
}

export function formatDocumentNumber(pattern: string, issueDate: string, sequence: bigint): string {
  const [year = '', month = ''] = issueDate.split('-');
  return pattern.replaceAll(TOKEN, (_, token: string, width?: string) => {
    if (token === 'YYYY') return year;
    if (token === 'YY') return year.slice(2);
    if (token === 'MM') return month;
    return sequence.toString().padStart(Number(width ?? 1), '0');
  });
}
