/**
 * Two organizations on one server: a person of organization A who opens organization B's invoice
 * or customer by URL gets the not-found page, never B's data.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { screenshot, startWebApp } from '../helpers/browser.ts';

const web = await startWebApp();

async function asOrganization(apiKey: string, method: string, url: string, body?: unknown) {
  const response = await web.app.inject({
    method: method as 'POST',
    url,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

test("a user of one organization cannot open another organization's invoice by URL", async () => {
  await createOrganization(web.db.pool, {
    legalName: 'Alpha Advisory', baseCurrency: 'EUR', ownerEmail: 'owner@alpha.example', ownerName: 'Alice Alpha', ownerPassword: 'alpha password 1', timeZone: 'Europe/Berlin',
  });
  const beta = await createOrganization(web.db.pool, {
    legalName: 'Beta Bookkeeping', baseCurrency: 'EUR', ownerEmail: 'owner@beta.example', ownerName: 'Bert Beta', ownerPassword: 'beta password 12', timeZone: 'Europe/Berlin',
  });
  const customer = await asOrganization(beta.apiKey, 'POST', '/v1/customers', { name: 'Secret Client of Beta', currency: 'EUR' });
  const invoice = await asOrganization(beta.apiKey, 'POST', '/v1/invoices', {
    customerId: customer.id, lines: [{ description: 'Confidential work', quantity: '1', unitPrice: '999.00' }],
  });
  await asOrganization(beta.apiKey, 'POST', `/v1/invoices/${invoice.id}/issue`, {});

  const page = await web.newPage();
  await page.goto(web.url(`/invoices/${invoice.id}`));
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('Email').fill('owner@alpha.example');
  await page.getByLabel('Password').fill('alpha password 1');
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Back at the invoice's URL after signing in: the not-found page, and nothing of Beta's.
  await page.getByRole('heading', { name: 'We couldn’t find that invoice' }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/invoices/${invoice.id}`);
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /Secret Client|Confidential|999/);
  await screenshot(page, '09-not-found');

  await page.goto(web.url(`/customers/${customer.id}`));
  await page.getByRole('heading', { name: 'We couldn’t find that customer' }).waitFor();
  assert.doesNotMatch(await page.locator('body').innerText(), /Secret Client/);

  await page.goto(web.url('/invoices'));
  await page.getByText('No invoices yet — create your first').waitFor();
});
