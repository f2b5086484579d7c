import { isValidTimeZone } from '../../shared/calendar.ts';
import { assertCurrency } from '../../shared/currencies.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { assertEmail } from '../../shared/validation.ts';
import { createApiKey, insertOrganization, insertUser } from '../access/index.ts';
import { createDefaultNumberSeries } from '../invoicing/index.ts';
import { insertStandardChart } from '../ledger/index.ts';

export type NewOrganization = { legalName: string; baseCurrency: string; ownerEmail: string; timeZone?: string; locale?: string };

export type CreatedOrganization = { organizationId: string; userId: string; apiKey: string };

/** An organization starts complete: owner, API key, chart of accounts and number series. */
export async function createOrganization(pool: Pool, input: NewOrganization): Promise<CreatedOrganization> {
  const legalName = input.legalName.trim();
  if (!legalName) throw invalid('legalName', 'must not be empty');
  assertCurrency(input.baseCurrency, 'currency');
  const email = assertEmail(input.ownerEmail, 'email');
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw invalid('timeZone', `is not an IANA time zone (${timeZone})`);
  return inTransaction(pool, async (tx) => {
    const organizationId = newId('org');
    const userId = newId('usr');
    await insertOrganization(tx, { id: organizationId, legalName, baseCurrency: input.baseCurrency, timeZone, locale: input.locale ?? 'en', email });
    await insertUser(tx, { id: userId, organizationId, email, role: 'owner' });
    await insertStandardChart(tx, organizationId);
    await createDefaultNumberSeries(tx, organizationId);
    const { key } = await createApiKey(tx, organizationId, userId, 'Created by init');
    return { organizationId, userId, apiKey: key };
  });
}
