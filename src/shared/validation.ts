import { invalid } from './errors.ts';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function assertEmail(value: string, field: string): string {
  const email = value.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw invalid(field, 'must be an e-mail address');
  return email;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2 country codes, as Intl knows them. */
export function assertCountry(value: string, field: string): string {
  const name = /^[A-Z]{2}$/.test(value) ? regions.of(value) : undefined;
  if (!name || name === value || name === 'Unknown Region') throw invalid(field, 'must be an ISO 3166-1 alpha-2 country code such as DE');
  return value;
}
