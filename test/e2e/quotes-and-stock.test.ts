/**
 * Stock history, held work and quotes into projects in Chromium: an item's history lists an
 * adjustment, an issued invoice and a credit note with signed quantities and links to the invoice;
 * a billing preview shows the work it leaves off for a capped project and leads to the unbilled
 * page; an accepted quote becomes a fixed-price project whose schedule has one milestone per line,
 * and a quote with mixed tax rates is refused in words, with the invoice as the way out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Meitner Instruments', { name: 'Lise Meitner', email: 'lise@meitner.example', password: 'nuclear fission 1938' });
const owner = (await api('GET', '/v1/users')).data[0];
const vat = await api('POST', '/v1/tax-rates', { name: 'VAT 19%', percentage: '19', category: 'S' });
const reduced = await api('POST', '/v1/tax-rates', { name: 'VAT 7%', percentage: '7', category: 'S' });
const customer = await api('POST', '/v1/customers', { name: 'Kaiser Wilhelm Institut', email: 'ap@kwi.example', currency: 'EUR' });

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const idFromUrl = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

/** A quote sent and accepted through its public link, as the customer would. */
async function acceptedQuote(title: string, lines: Array<{ description: string; quantity: string; unitPrice: string; taxRateIds: string[] }>) {
  const draft = await api('POST', '/v1/quotes', { customerId: customer.id, title, lines });
  const { publicUrl } = await api('POST', `/v1/quotes/${draft.id}/send`);
  const token = String(publicUrl).split('/').pop()!;
  const accepted = await web.app.inject({
    method: 'POST', url: `/v1/public/quotes/${token}/accept`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'Otto Hahn' }),
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  return api('GET', `/v1/quotes/${draft.id}`);
}

describe('stock history, held work, quotes into projects', { timeout: 90_000 }, () => {
  let page: Page;

  test('an item’s stock history lists adjustments, an issued invoice and a credit note, signed and linked', async () => {
    const item = await api('POST', '/v1/items', { name: 'Geiger counter', unit: 'piece', unitPrice: '250.00', trackStock: true, lowStockThreshold: '2' });
    await api('POST', `/v1/items/${item.id}/stock-adjustments`, { quantity: '12.5', note: 'Delivery from supplier' });
    const draft = await api('POST', '/v1/invoices', { customerId: customer.id, lines: [{ itemId: item.id, quantity: '3' }] });
    const invoice = await api('POST', `/v1/invoices/${draft.id}/issue`);
    const credit = await api('POST', '/v1/credit-notes', { invoiceId: invoice.id, lines: [{ invoiceLineId: invoice.lines[0].id, quantity: '1' }] });

    page = await web.newPage();
    await signIn(page, '/stock');
    await waitForText(page.getByTestId(`on-hand-${item.id}`), '10.5 piece');
    await page.getByRole('button', { name: 'Stock history of Geiger counter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stock history of Geiger counter' });
    const rows = dialog.getByRole('row');
    await waitForText(rows.nth(1), 'Credit note');
    assert.equal(await rows.count(), 4); // header + 3 movements, newest first
    await waitForText(rows.nth(1), `Credit note ${credit.number} on invoice ${invoice.number}`);
    await waitForText(rows.nth(1).getByTestId('stock-change'), /^\+1 piece$/);
    await waitForText(rows.nth(2), 'Invoice issued');
    await waitForText(rows.nth(2), `Invoice ${invoice.number}`);
    await waitForText(rows.nth(2).getByTestId('stock-change'), /^-3 piece$/);
    await waitForText(rows.nth(3), /Adjustment.*Delivery from supplier/);
    await waitForText(rows.nth(3).getByTestId('stock-change'), /^\+12\.5 piece$/);
    const movements = (await apiGet(page, `/v1/items/${item.id}/stock-movements`)).data;
    assert.deepEqual(movements.map((m: any) => [m.reason, m.quantityChange, m.sourceId]), [
      ['credit_note', '1', credit.id], ['invoice_issued', '-3', invoice.id], ['adjustment', '12.5', null],
    ]);
    await checkPage(page);
    await screenshot(page, '80-stock-history', { fullPage: false });

    // An adjustment made now appears at the top of the history when it is opened again.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Adjust stock of Geiger counter' }).click();
    const adjust = page.getByRole('dialog', { name: 'Adjust stock of Geiger counter' });
    await adjust.getByLabel('Change').fill('-0.25');
    await adjust.getByLabel('Reason').fill('Stock count');
    await adjust.getByRole('button', { name: 'Save adjustment' }).click();
    await waitForText(page.getByTestId(`on-hand-${item.id}`), '10.25 piece');
    await page.getByRole('button', { name: 'Stock history of Geiger counter' }).click();
    await waitForText(dialog.getByRole('row').nth(1), /Adjustment.*Stock count/);
    await waitForText(dialog.getByRole('row').nth(1).getByTestId('stock-change'), /^-0\.25 piece$/);
    assert.equal(await dialog.getByRole('row').count(), 5);

    // The invoice's link opens the invoice.
    await dialog.getByRole('link', { name: `Invoice ${invoice.number}`, exact: true }).click();
    await page.waitForURL(new RegExp(`/invoices/${invoice.id}$`));
    await waitForText(page.getByTestId('invoice-number'), invoice.number);
  });

  test('a billing preview shows the work it holds back for a capped project, and leads to the unbilled page', async () => {
    const capped = await api('POST', '/v1/customers', { name: 'Capped Physics GmbH', email: 'ap@capped.example', currency: 'EUR' });
    await api('POST', '/v1/subscriptions', {
      customerId: capped.id, items: [{ description: 'Hosting', unitPrice: '50.00', quantity: '1' }], interval: 'monthly', startDate: today,
      billingTiming: 'advance', includeUnbilledWork: true,
    });
    const audit = await api('POST', '/v1/projects', { customerId: capped.id, name: 'Audit', billing: { model: 'hourly', rate: '100', notToExceed: '150.00' } });
    await api('POST', '/v1/time-entries', { userId: owner.id, projectId: audit.id, date: today, minutes: 120, description: 'Instrument review' }); // 200.00

    await page.goto(web.url('/billing-runs'));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: /Preview for/ });
    await waitForText(preview.getByRole('row', { name: /Capped Physics GmbH/ }), euro('50.00')); // the hosting fee only
    const held = preview.getByTestId('held-work');
    const message = 'Audit: 0.00 billed and 200.00 unbilled come to 200.00, 50.00 over its not-to-exceed amount of 150.00';
    await waitForText(held, 'Work held back');
    await waitForText(held, 'would leave unbilled work off the invoices');
    await waitForText(held.getByRole('listitem'), `Capped Physics GmbH — ${message}.`);
    assert.equal(await held.getByRole('listitem').count(), 1);
    const bill = held.getByRole('link', { name: 'Bill from unbilled work for Capped Physics GmbH' });
    assert.equal(await bill.getAttribute('href'), `/unbilled?customerId=${capped.id}`);
    assert.equal(await held.getByRole('link', { name: 'Open project' }).getAttribute('href'), `/projects/${audit.id}`);
    assert.equal((await apiGet(page, `/v1/invoices?customerId=${capped.id}`)).data.length, 0, 'a preview writes nothing');
    await checkPage(page);
    await screenshot(page, '81-billing-preview-held-work', { fullPage: false });

    // The held work is still unbilled: the unbilled page shows it with the same warning.
    await bill.click();
    await page.waitForURL(/\/unbilled\?customerId=/);
    const section = page.getByRole('region', { name: 'Capped Physics GmbH' });
    await waitForText(section.getByTestId('unbilled-warnings'), message);
    assert.equal(await page.locator('.unbilled-customer').count(), 1, 'only that customer');
    assert.equal(await page.getByRole('link', { name: 'Show all customers' }).count(), 1);
  });

  test('an accepted quote becomes a fixed-price project with a milestone per line; the quote links to it', async () => {
    const quote = await acceptedQuote('Spectrometer setup', [
      { description: 'Installation', quantity: '1', unitPrice: '1200.00', taxRateIds: [vat.id] },
      { description: 'Calibration', quantity: '2', unitPrice: '150.00', taxRateIds: [vat.id] },
    ]);
    assert.equal(quote.status, 'accepted');
    await page.goto(web.url(`/quotes/${quote.id}`));
    await page.getByText(/by Otto Hahn/).waitFor();
    await page.getByRole('button', { name: 'Convert to invoice' }).waitFor();
    await page.getByRole('button', { name: 'Convert to project' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert to a fixed-price project?' });
    await waitForText(dialog, `of ${euro('1500.00')} before tax`);
    await checkPage(page);
    await screenshot(page, '82-quote-convert-to-project', { fullPage: false });
    await dialog.getByRole('button', { name: 'Create project' }).click();

    await page.waitForURL(/\/projects\/prj_/);
    const projectName = `Spectrometer setup (${quote.number})`;
    await page.getByRole('heading', { name: projectName, level: 1 }).waitFor();
    const projectId = idFromUrl(page);
    const schedule = page.getByRole('region', { name: 'Schedule' });
    await waitForText(schedule.getByRole('row', { name: /Installation/ }), euro('1200.00'));
    await waitForText(schedule.getByRole('row', { name: /Installation/ }), 'Milestone');
    await waitForText(schedule.getByRole('row', { name: /Calibration/ }), euro('300.00'));
    await waitForText(schedule.getByRole('row', { name: /Calibration/ }), 'Milestone');
    await waitForText(schedule, `${euro('1500.00')} in all`);
    const project = await apiGet(page, `/v1/projects/${projectId}`);
    assert.deepEqual([project.billing.model, project.billing.amount, project.taxRateIds, project.customerId], ['fixed', '1500.00', [vat.id], customer.id]);
    await checkPage(page);
    await screenshot(page, '83-project-from-quote', { fullPage: false });

    // The quote is converted and links to the project, on its page and in the list.
    const converted = await apiGet(page, `/v1/quotes/${quote.id}`);
    assert.deepEqual([converted.status, converted.convertedProjectId, converted.convertedInvoiceId], ['converted', projectId, null]);
    await page.goto(web.url(`/quotes/${quote.id}`));
    await page.getByRole('link', { name: 'Open project' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Open project' }).getAttribute('href'), `/projects/${projectId}`);
    await waitForText(page.locator('.definition-list'), `Project ${projectName}`);
    assert.equal(await page.getByRole('button', { name: /Convert to/ }).count(), 0);
    await page.goto(web.url('/quotes'));
    const row = page.getByRole('row', { name: new RegExp(quote.number) });
    await waitForText(row, 'Converted');
    await row.getByRole('link', { name: 'Open project' }).click();
    await page.getByRole('heading', { name: projectName, level: 1 }).waitFor();
  });

  test('a quote with different tax rates is refused as a project in words, and becomes an invoice instead', async () => {
    const quote = await acceptedQuote('Lab supplies', [
      { description: 'Glassware', quantity: '1', unitPrice: '400.00', taxRateIds: [vat.id] },
      { description: 'Handbook', quantity: '2', unitPrice: '30.00', taxRateIds: [reduced.id] },
    ]);
    await page.goto(web.url(`/quotes/${quote.id}`));
    await page.getByRole('button', { name: 'Convert to project' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert to a fixed-price project?' });
    await dialog.getByRole('button', { name: 'Create project' }).click();
    const refused = dialog.getByTestId('convert-refused');
    await waitForText(refused, 'This quote cannot become a project.');
    await waitForText(refused, 'has lines with different tax rates; a project has one set');
    assert.equal((await apiGet(page, `/v1/quotes/${quote.id}`)).status, 'accepted');
    assert.equal(await dialog.getByRole('button', { name: 'Create project' }).count(), 0);
    await checkPage(page);
    await screenshot(page, '84-quote-mixed-tax-rates', { fullPage: false });

    await dialog.getByRole('button', { name: 'Convert to invoice instead' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    const converted = await apiGet(page, `/v1/quotes/${quote.id}`);
    assert.deepEqual([converted.status, converted.convertedInvoiceId, converted.convertedProjectId], ['converted', idFromUrl(page), null]);
  });

  test('the stock history, the held work and an accepted quote fit a phone', async () => {
    const phone = await web.newPage({ viewport: PHONE });
    await signIn(phone, '/stock');
    await phone.getByRole('button', { name: 'Stock history of Geiger counter' }).click();
    await phone.getByRole('dialog').getByRole('row').nth(1).waitFor();
    await checkPage(phone);
    await screenshot(phone, '85-stock-history-phone', { fullPage: false });
    await phone.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await phone.goto(web.url('/billing-runs'));
    await phone.getByRole('button', { name: 'Preview' }).click();
    await phone.getByTestId('held-work').waitFor();
    await checkPage(phone);
    await screenshot(phone, '86-billing-preview-held-work-phone', { fullPage: false });
    const quote = await acceptedQuote('Detector upgrade', [{ description: 'Upgrade', quantity: '1', unitPrice: '900.00', taxRateIds: [vat.id] }]);
    await phone.goto(web.url(`/quotes/${quote.id}`));
    await phone.getByRole('button', { name: 'Convert to project' }).waitFor();
    await phone.getByRole('button', { name: 'Convert to invoice' }).waitFor();
    await checkPage(phone);
    await screenshot(phone, '87-accepted-quote-phone', { fullPage: false });
    await phone.context().close();
  });
});
