/**
 * Subscriptions in Chromium: a subscription is created in the browser for a customer made through
 * the API, a billing run is previewed (nothing written) and run, and its draft invoice is opened.
 * Cancelling at the period end, and the pages at phone width.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Lovelace Subscriptions', { name: 'Ada Lovelace', email: 'ada@lovelace-subs.example', password: 'analytical engine 1843' });

const customer = await api('POST', '/v1/customers', { name: 'Babbage & Co', email: 'ap@babbage.example', currency: 'EUR' });

describe('subscriptions: create, billing run preview and run, cancel', { timeout: 60_000 }, () => {
  let page: Page;
  let subscriptionId = '';

  test('creating a monthly subscription in the browser', async () => {
    page = await web.newPage();
    await signIn(page, '/subscriptions');
    await page.getByText('No subscriptions yet — create your first').waitFor();
    await page.getByRole('main').getByRole('link', { name: 'New subscription' }).first().click();
    await page.getByLabel('Customer').selectOption(customer.id);
    await page.getByLabel('Description').fill('Hosting plan');
    await page.getByLabel('Unit price').fill('49');
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByLabel('Description 2').fill('Support');
    await page.getByLabel('Unit price 2').fill('15.50');
    await page.getByLabel('Interval').selectOption('monthly');
    await page.getByLabel('In advance').check();
    await checkPage(page);
    await screenshot(page, '4x-subscription-new', { fullPage: true });
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.getByRole('heading', { name: 'Subscription · Babbage & Co' }).waitFor();
    subscriptionId = new URL(page.url()).pathname.split('/').pop()!;
    const subscription = await apiGet(page, `/v1/subscriptions/${subscriptionId}`);
    assert.equal(subscription.status, 'active');
    assert.equal(subscription.interval, 'monthly');
    assert.equal(subscription.billingTiming, 'advance');
    assert.deepEqual(subscription.items.map((i: any) => [i.description, i.unitPrice, i.quantity]), [['Hosting plan', '49', '2'], ['Support', '15.5', '1']]);
    await page.getByRole('rowheader', { name: 'Hosting plan' }).waitFor();
    await checkPage(page);
    await screenshot(page, '4x-subscription-detail', { fullPage: false });

    await page.locator('#sidebar').getByRole('link', { name: 'Subscriptions', exact: true }).click();
    const row = page.getByRole('row', { name: /Babbage & Co/ });
    await waitForText(row, /Active/);
    await waitForText(row, euro('49.00'));
    await screenshot(page, '4x-subscriptions', { fullPage: false });
  });

  test('a billing run is previewed, then run, and its draft opens', async () => {
    await page.locator('#sidebar').getByRole('link', { name: 'Billing run' }).click();
    await page.getByRole('heading', { name: 'Billing run', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    await waitForText(page.getByRole('status').filter({ hasText: 'would be created' }), /1 invoice would be created/);
    const row = page.getByRole('row', { name: /Babbage & Co/ });
    // Server's totals: 2 × 49.00 + 15.50 (no tax rates set up).
    await waitForText(row, euro('113.50'));
    const invoices = (await apiGet(page, '/v1/invoices')).data;
    assert.equal(invoices.length, 0, 'a preview writes nothing');
    await checkPage(page);
    await screenshot(page, '4x-billing-preview', { fullPage: false });

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForText(page.getByRole('status').filter({ hasText: 'created' }), /1 draft invoice created/);
    await screenshot(page, '4x-billing-run', { fullPage: false });
    await page.getByRole('link', { name: 'Babbage & Co' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    const invoiceId = new URL(page.url()).pathname.split('/').pop()!;
    const invoice = await apiGet(page, `/v1/invoices/${invoiceId}`);
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.total, '113.50');
    await screenshot(page, '4x-billing-draft', { fullPage: false });

    // Running again bills nothing twice.
    const again = await api('POST', '/v1/billing-runs', { dryRun: true });
    assert.equal(again.invoices.length, 0);
  });

  test('cancelling at the end of the period', async () => {
    await page.goto(web.url(`/subscriptions/${subscriptionId}`));
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Cancel at period end' }).click();
    await page.getByText('Cancels at period end').or(page.getByText('Cancellation')).first().waitFor();
    const subscription = await apiGet(page, `/v1/subscriptions/${subscriptionId}`);
    assert.equal(subscription.cancelAtPeriodEnd, true);
    await page.getByRole('button', { name: 'Cancel subscription' }).waitFor({ state: 'detached' });
    await screenshot(page, '4x-subscription-canceled', { fullPage: false });
  });

  test('a quote is created, sent (its link shown), accepted and converted to a draft invoice', async () => {
    await page.locator('#sidebar').getByRole('link', { name: 'Quotes', exact: true }).click();
    await page.getByText('No quotes yet — create your first').waitFor();
    await page.getByRole('main').getByRole('link', { name: 'New quote' }).first().click();
    await page.getByLabel('Customer').selectOption(customer.id);
    await page.getByLabel('Title').fill('Website relaunch');
    await page.getByLabel('Description').fill('Design');
    await page.getByLabel('Unit price').fill('1200');
    await checkPage(page);
    await page.getByRole('button', { name: 'Create quote' }).click();
    await page.getByRole('heading', { name: 'Draft: Website relaunch' }).waitFor();
    const quoteId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('button', { name: 'Send quote' }).click();
    const link = page.getByLabel('Link for the customer');
    await link.waitFor();
    const url = await link.inputValue();
    assert.match(url, /\/quote\/[^/]+$/);
    await screenshot(page, '4x-quote-sent', { fullPage: false });

    // The customer opens the link in a browser that is not signed in, and accepts there.
    const customerPage = await web.newPage({ viewport: PHONE });
    await customerPage.goto(url);
    await customerPage.getByRole('heading', { name: /Quote .*: Website relaunch/ }).waitFor();
    await customerPage.getByText('Lovelace Subscriptions').first().waitFor();
    await waitForText(customerPage.getByTestId('total'), euro('1200.00'));
    await customerPage.getByRole('button', { name: 'Accept', exact: true }).click();
    await customerPage.getByLabel('Your name').fill('Charles Babbage');
    await checkPage(customerPage);
    await customerPage.getByRole('button', { name: 'Accept quote' }).click();
    await waitForText(customerPage.getByRole('status'), /Accepted by Charles Babbage/);
    await customerPage.getByRole('button', { name: 'Accept', exact: true }).waitFor({ state: 'detached' });
    await checkPage(customerPage);
    await screenshot(customerPage, '45-public-quote', { fullPage: true });
    await customerPage.reload();
    await waitForText(customerPage.getByRole('status'), /Accepted by Charles Babbage/);
    await customerPage.goto(web.url('/quote/not-a-real-token'));
    await customerPage.getByRole('heading', { name: 'Quote not found' }).waitFor();
    await customerPage.context().close();
    const accepted = await apiGet(page, `/v1/quotes/${quoteId}`);
    assert.equal(accepted.status, 'accepted');
    assert.equal(accepted.acceptedByName, 'Charles Babbage');

    await page.reload();
    await page.getByText(/by Charles Babbage/).waitFor();
    await page.getByRole('button', { name: 'Convert to invoice' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    const quote = await apiGet(page, `/v1/quotes/${quoteId}`);
    assert.equal(quote.status, 'converted');
    assert.equal(quote.convertedInvoiceId, new URL(page.url()).pathname.split('/').pop());
    await page.goto(web.url('/quotes'));
    await waitForText(page.getByRole('row', { name: /Babbage & Co/ }), euro('1200.00'));
    await screenshot(page, '4x-quotes', { fullPage: false });
  });

  test('at phone width', async () => {
    const phone = await web.newPage({ viewport: PHONE });
    await signIn(phone, '/subscriptions');
    await phone.getByRole('row', { name: /Babbage & Co/ }).waitFor();
    await checkPage(phone);
    await screenshot(phone, '4x-phone-subscriptions', { fullPage: false });
    await phone.goto(web.url('/subscriptions/new'));
    await phone.getByLabel('Unit price').waitFor();
    await checkPage(phone);
    await screenshot(phone, '4x-phone-subscription-new', { fullPage: true });
    await phone.goto(web.url('/billing-runs'));
    await phone.getByRole('button', { name: 'Preview' }).click();
    await phone.getByRole('status').filter({ hasText: 'Nothing is due' }).waitFor();
    await checkPage(phone);
    await screenshot(phone, '4x-phone-billing-run', { fullPage: false });
    await phone.goto(web.url('/quotes'));
    await phone.getByRole('row', { name: /Babbage & Co/ }).waitFor();
    await checkPage(phone);
    await screenshot(phone, '4x-phone-quotes', { fullPage: false });
  });
});
