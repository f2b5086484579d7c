import { compare, parseDecimal, toDecimalString, type Decimal } from '../../shared/decimal.ts';
import { invalid } from '../../shared/errors.ts';

/** EN 16931 VAT category codes (UNCL5305 subset). */
export const TAX_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;
export type TaxCategory = (typeof TAX_CATEGORIES)[number];

/** Categories that must say why no tax is charged (EN 16931 BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
const NEEDS_EXEMPTION_REASON = new Set<TaxCategory>(['E', 'AE', 'K', 'G', 'O']);
/** Categories whose rate is zero by definition. */
const ZERO_RATED = new Set<TaxCategory>(['Z', 'E', 'AE', 'K', 'G', 'O']);

export type TaxRate = {
  id: string;
  name: string;
  percentage: string;
  category: TaxCategory;
  exemptionReason: string | null;
  compound: boolean;
  archivedAt: string | null;
};

export type TaxRateInput = { name: string; percentage: string; category: TaxCategory; exemptionReason?: string | null; compound?: boolean };

export function validateTaxRate(input: TaxRateInput): { percentage: Decimal } {
  if (!input.name.trim()) throw invalid('name', 'must not be empty');
  const percentage = parseDecimal(input.percentage, 'percentage', { maxScale: 4, maxIntegerDigits: 3, allowNegative: false });
  if (!TAX_CATEGORIES.includes(input.category)) throw invalid('category', `must be one of ${TAX_CATEGORIES.join(', ')}`);
  const zero = compare(percentage, { units: 0n, scale: 0 }) === 0;
  if (ZERO_RATED.has(input.category) && !zero) throw invalid('percentage', `must be 0 for category ${input.category}`);
  if (input.category === 'S' && zero) throw invalid('percentage', 'must be above 0 for the standard category S; use Z for zero-rated');
  if (NEEDS_EXEMPTION_REASON.has(input.category) && !input.exemptionReason?.trim()) {
    throw invalid('exemptionReason', `is required for category ${input.category} (say why no tax is charged)`);
  }
  return { percentage };
}

export function canonicalPercentage(percentage: Decimal): string {
  return toDecimalString(percentage);
}
