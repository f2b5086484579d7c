/**
 * ISO 4217 currencies (List One as published 2026-01-01) with their minor units: the number of
 * decimals an amount in that currency may carry. Codes whose minor unit is "N.A." (precious
 * metals, bond-market units, XDR, XSU, XUA, the XTS test code and XXX) are left out on purpose:
 * nothing can be invoiced in them, and an amount without a minor unit has no exact form here.
 */
import { invalid } from './errors.ts';

const CODES_BY_MINOR_UNITS: Readonly<Record<number, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK ' +
    'LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO ' +
    'NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS ' +
    'SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST ' +
    'XAD XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries(CODES_BY_MINOR_UNITS).flatMap(([units, codes]) =>
    codes.split(' ').map((code) => [code, Number(units)] as const),
  ),
);

/** Every supported code, alphabetically (for pickers and schema enums). */
export const CURRENCY_CODES: readonly string[] = [...MINOR_UNITS.keys()].sort();

export function isCurrency(code: unknown): code is string {
  return typeof code === 'string' && MINOR_UNITS.has(code);
}

/** Rejects user input that is not a supported code; codes are upper case, as ISO writes them. */
export function assertCurrency(code: unknown, field: string): asserts code is string {
  if (!isCurrency(code)) throw invalid(field, 'is not an ISO 4217 currency code');
}

/** Decimals of the currency's minor unit (EUR 2, JPY 0, KWD 3). Unknown codes are a bug: validate input first. */
export function currencyMinorUnits(code: string): number {
  const units = MINOR_UNITS.get(code);
  if (units === undefined) throw new Error(`Unknown currency ${JSON.stringify(code)}`);
  return units;
}
