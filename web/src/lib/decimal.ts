// Exact comparisons and sums of decimal strings ("1234.50") with bigint: used to split a payment
// between invoices and to sum a list's amounts. Never floating point for money. Invoice totals
// are not computed here: they come from the server (POST /v1/invoices/preview).

type Scaled = { units: bigint; scale: number };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

function parse(text: string): Scaled {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  const fraction = match[3] ?? '';
  const units = BigInt(match[2]! + fraction);
  return { units: match[1] ? -units : units, scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** -1, 0 or 1, like a comparator. */
export function compareDecimal(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function addDecimal(...values: string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((v) => v.scale));
  return format(parsed.reduce((sum, v) => sum + rescale(v, scale), 0n), scale);
}

export function subtractDecimal(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return format(rescale(x, scale) - rescale(y, scale), scale);
}

export function minDecimal(a: string, b: string): string {
  return compareDecimal(a, b) <= 0 ? a : b;
}

export function isZero(text: string): boolean {
  return parse(text).units === 0n;
}

/** Sums decimal strings per currency: [{currency, amount}] in first-seen order. */
export function sumByCurrency<T>(rows: T[], currencyOf: (row: T) => string, amountOf: (row: T) => string): Array<{ currency: string; amount: string }> {
  const sums = new Map<string, string[]>();
  for (const row of rows) {
    const list = sums.get(currencyOf(row)) ?? [];
    list.push(amountOf(row));
    sums.set(currencyOf(row), list);
  }
  return [...sums].map(([currency, amounts]) => ({ currency, amount: addDecimal(...amounts) }));
}
