/**
 * Contract options in Chromium: a project's tax rates and not-to-exceed amount set and changed in
 * the project form; a retainer that carries unbilled hourly work (its rollover kept on edit); the
 * unbilled page warns about work past the cap, and creating its invoice asks first ("Bill anyway");
 * a customer who wants one invoice per contract; the billing run's skipped charges in words.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Noether Analytics', { name: 'Emmy Noether', email: 'emmy@noether.example', password: 'invariant theory 1918' });
const owner = (await api('GET', '/v1/users')).data[0];
const vat = await api('POST', '/v1/tax-rates', { name: 'VAT 19%', percentage: '19', category: 'S' });
await api('POST', '/v1/tax-rates', { name: 'VAT 7%', percentage: '7', category: 'S' });
const customer = await api('POST', '/v1/customers', { name: 'Göttingen Institute', email: 'ap@goettingen.example', currency: 'EUR' });

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const idFromUrl = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

describe('contract options: project taxes and caps, retainers with work, grouping, skipped charges', { timeout: 90_000 }, () => {
  let page: Page;
  let projectId = '';

  test('an hourly project gets tax rates and a not-to-exceed amount in the form, and keeps them when edited', async () => {
    page = await web.newPage();
    await signIn(page, '/projects/new');
    await page.getByLabel('Customer').selectOption(customer.id);
    await page.getByLabel('Name', { exact: true }).fill('Audit');
    await page.getByLabel('Hourly rate').fill('100');
    await page.getByLabel('Not to exceed').fill('500');
    await page.getByRole('button', { name: 'Tax rates: No tax' }).click();
    await page.getByRole('group', { name: 'Tax rates' }).getByLabel('VAT 19%').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Tax rates: VAT 19%' }).waitFor();
    await checkPage(page);
    await screenshot(page, '70-project-taxes-cap', { fullPage: false });
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    projectId = idFromUrl(page);
    let project = await apiGet(page, `/v1/projects/${projectId}`);
    assert.deepEqual([project.billing.rate, project.billing.notToExceed, project.taxRateIds], ['100', '500.00', [vat.id]]);
    const details = page.locator('.definition-list');
    await waitForText(details, 'VAT 19%');
    await waitForText(details, euro('500.00'));

    // Edit: a lower cap; the rate and the tax rates stay as they were.
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit Audit' }).waitFor();
    assert.equal(await page.getByLabel('Not to exceed').inputValue(), '500.00');
    await page.getByLabel('Not to exceed').fill('450');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await waitForText(details, euro('450.00'));
    project = await apiGet(page, `/v1/projects/${projectId}`);
    assert.deepEqual([project.billing.rate, project.billing.notToExceed, project.taxRateIds], ['100', '450.00', [vat.id]]);
  });

  test('a retainer’s “include unbilled hourly work” is set in the form; its rollover survives the edit', async () => {
    const retainer = await api('POST', '/v1/projects', {
      customerId: customer.id, name: 'Support', billing: { model: 'retainer', fee: '1000.00', interval: 'month', includedHours: '10', rollover: 'capped', rolloverMaxHours: '5', startDate: today },
    });
    assert.equal(retainer.billing.includeUnbilledWork, false);
    await page.goto(web.url(`/projects/${retainer.id}`));
    await waitForText(page.locator('.definition-list'), 'Invoiced separately');
    await page.getByRole('link', { name: 'Edit' }).click();
    const include = page.getByLabel('Include unbilled hourly work on each retainer invoice');
    assert.equal(await include.isChecked(), false);
    await include.check();
    await page.getByRole('button', { name: 'Tax rates: No tax' }).click();
    await page.getByRole('group', { name: 'Tax rates' }).getByLabel('VAT 7%').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await checkPage(page);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(page.locator('.definition-list'), 'Included on each retainer invoice');
    const saved = await apiGet(page, `/v1/projects/${retainer.id}`);
    assert.deepEqual(
      [saved.billing.includeUnbilledWork, saved.billing.rollover, saved.billing.rolloverMaxHours, saved.billing.startDate, saved.billing.fee, saved.taxRateIds.length],
      [true, 'capped', '5', today, '1000.00', 1],
    );
    await screenshot(page, '71-retainer-includes-work', { fullPage: false });
  });

  test('work past the cap is a warning on the unbilled page; its invoice is made only after “Bill anyway”', async () => {
    await api('POST', '/v1/time-entries', { userId: owner.id, projectId, date: today, minutes: 300, description: 'Ledger review' }); // 500.00
    await page.goto(web.url('/unbilled'));
    const section = page.getByRole('region', { name: 'Göttingen Institute' });
    const message = 'Audit: 0.00 billed and 500.00 unbilled come to 500.00, 50.00 over its not-to-exceed amount of 450.00';
    await waitForText(section.getByTestId('unbilled-warnings'), message);
    await waitForText(section.getByRole('row', { name: /Audit/ }), 'Over not-to-exceed');
    await checkPage(page);
    await screenshot(page, '72-unbilled-over-cap', { fullPage: false });
    const phone = await web.newPage({ viewport: PHONE });
    await signIn(phone, '/unbilled');
    await phone.getByTestId('unbilled-warnings').waitFor();
    await checkPage(phone);
    await screenshot(phone, '72-unbilled-over-cap-phone');
    await phone.context().close();

    // Refused: the server's message, and a choice. Cancelling makes nothing.
    const create = section.getByRole('button', { name: 'Create invoice for Göttingen Institute' });
    await create.click();
    const dialog = page.getByRole('dialog', { name: 'Bill past the not-to-exceed amount?' });
    await waitForText(dialog, message);
    assert.equal(await dialog.locator('.dialog-body p').first().textContent(), `${message}.`); // in words, without the API's hint
    await screenshot(page, '73-bill-anyway', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await apiGet(page, `/v1/invoices?customerId=${customer.id}`)).data.length, 0);

    await create.click();
    await dialog.getByRole('button', { name: 'Bill anyway' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    const invoice = await apiGet(page, `/v1/invoices/${idFromUrl(page)}`);
    assert.deepEqual([invoice.status, invoice.subtotal, invoice.taxTotal, invoice.total], ['draft', '500.00', '95.00', '595.00']);
    assert.deepEqual(invoice.lines[0].taxes.map((tax: any) => tax.percentage), ['19']);
  });

  test('a customer set to one invoice per contract in the form', async () => {
    await page.goto(web.url(`/customers/${customer.id}/edit`));
    const grouping = page.getByLabel('Invoices from the billing run');
    assert.equal(await grouping.inputValue(), 'combined');
    await grouping.selectOption('per_contract');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(page.getByRole('complementary', { name: 'Details' }), 'One invoice per contract');
    assert.equal((await apiGet(page, `/v1/customers/${customer.id}`)).invoiceGrouping, 'per_contract');
  });

  test('the billing run says in words why it skipped a charge', async () => {
    const dormant = await api('POST', '/v1/customers', { name: 'Dormant GmbH', currency: 'EUR' });
    await api('POST', '/v1/subscriptions', {
      customerId: dormant.id, items: [{ description: 'Hosting', unitPrice: '50.00', quantity: '1' }], interval: 'monthly', startDate: today, billingTiming: 'advance',
    });
    await api('POST', `/v1/customers/${dormant.id}/archive`);
    await page.goto(web.url('/billing-runs'));
    await page.getByRole('button', { name: 'Preview' }).click();
    await waitForText(page.getByRole('region', { name: /Preview for/ }), 'the customer is archived');
    await checkPage(page);
    await screenshot(page, '74-billing-run-skipped', { fullPage: false });
  });
});
