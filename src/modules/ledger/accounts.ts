/** The accounts every organization starts with; the code finds them by their system key. */
export type SystemAccount =
  | 'bank'
  | 'cash'
  | 'receivable'
  | 'customer_credit'
  | 'tax_payable'
  | 'revenue'
  | 'sales_discounts'
  | 'bad_debt';

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

export const STANDARD_CHART: ReadonlyArray<{ key: SystemAccount; code: string; name: string; type: AccountType }> = [
  { key: 'bank', code: '1000', name: 'Bank', type: 'asset' },
  { key: 'cash', code: '1010', name: 'Cash', type: 'asset' },
  { key: 'receivable', code: '1100', name: 'Accounts receivable', type: 'asset' },
  { key: 'customer_credit', code: '2100', name: 'Customer credit', type: 'liability' },
  { key: 'tax_payable', code: '2200', name: 'Tax payable', type: 'liability' },
  { key: 'revenue', code: '4000', name: 'Revenue', type: 'revenue' },
  { key: 'sales_discounts', code: '4900', name: 'Sales discounts', type: 'revenue' },
  { key: 'bad_debt', code: '6900', name: 'Bad debt', type: 'expense' },
];

/** Assets and expenses grow with debits; liabilities, equity and revenue with credits. */
export function isDebitNormal(type: AccountType): boolean {
  return type === 'asset' || type === 'expense';
}
