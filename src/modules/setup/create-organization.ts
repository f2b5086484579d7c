import { isValidTimeZone } from '../../shared/calendar.ts';
import { assertCurrency } from '../../shared/currencies.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { assertEmail } from '../../shared/validation.ts';
import { assertPassword, createApiKey, hashPassword, insertOrganization, insertUser, organizationsExist, setPasswordHash } from '../access/index.ts';
import { createDefaultNumberSeries } from '../invoicing/index.ts';
import { insertStandardChart } from '../ledger/index.ts';

export type NewOrganization = {
  legalName: string;
  baseCurrency: string;
  ownerEmail: string;
  /** With a password the owner can sign in to the web app; without one, only API keys work. */
  ownerName?: string;
  ownerPassword?: string;
  timeZone?: string;
  locale?: string;
};

export type CreatedOrganization = { organizationId: string; userId: string; apiKey: string };

type CheckedOrganization = Required<Pick<NewOrganization, 'legalName' | 'baseCurrency' | 'timeZone' | 'locale'>> & {
  email: string;
  ownerName: string | null;
  passwordHash: string | null;
};

/** Everything checked (and the password hashed, which is slow) before a transaction opens. */
async function check(input: NewOrganization): Promise<CheckedOrganization> {
  const legalName = input.legalName.trim();
  if (!legalName) throw invalid('legalName', 'must not be empty');
  assertCurrency(input.baseCurrency, 'currency');
  const email = assertEmail(input.ownerEmail, 'email');
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw invalid('timeZone', `is not an IANA time zone (${timeZone})`);
  const ownerName = input.ownerName?.trim() || null;
  if (input.ownerPassword !== undefined) assertPassword(input.ownerPassword);
  const passwordHash = input.ownerPassword === undefined ? null : await hashPassword(input.ownerPassword);
  return { legalName, baseCurrency: input.baseCurrency, timeZone, locale: input.locale ?? 'en', email, ownerName, passwordHash };
}

async function insertAll(tx: Tx, input: CheckedOrganization): Promise<CreatedOrganization> {
  const organizationId = newId('org');
  const userId = newId('usr');
  const { legalName, baseCurrency, timeZone, locale, email } = input;
  await insertOrganization(tx, { id: organizationId, legalName, baseCurrency, timeZone, locale, email });
  await insertUser(tx, { id: userId, organizationId, email, role: 'owner', name: input.ownerName });
  if (input.passwordHash) await setPasswordHash(tx, { id: userId, email }, input.passwordHash);
  await insertStandardChart(tx, organizationId);
  await createDefaultNumberSeries(tx, organizationId);
  const { key } = await createApiKey(tx, organizationId, userId, 'Created by init');
  return { organizationId, userId, apiKey: key };
}

/** An organization starts complete: owner, API key, chart of accounts and number series. */
export async function createOrganization(pool: Pool, input: NewOrganization): Promise<CreatedOrganization> {
  const checked = await check(input);
  return inTransaction(pool, (tx) => insertAll(tx, checked));
}

const FIRST_SETUP_LOCK = 7_261_002; // serializes first-run setups, so two browsers cannot both create one

/**
 * The web app's first run: creates the organization and its owner (with name and password) only
 * while the installation has no organization at all; afterwards it is refused.
 */
export async function setUpFirstOrganization(pool: Pool, input: NewOrganization & { ownerName: string; ownerPassword: string }): Promise<CreatedOrganization> {
  if (!input.ownerName.trim()) throw invalid('name', 'must not be empty');
  const checked = await check(input);
  return inTransaction(pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [FIRST_SETUP_LOCK]);
    if (await organizationsExist(tx)) throw conflict('already_set_up', 'Accrue is already set up; sign in instead.');
    return insertAll(tx, checked);
  });
}
