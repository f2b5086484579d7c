/**
 * The web app end to end, in Chromium: first run, sign-out and sign-in, settings, a customer, a
 * 3-line invoice with two tax rates whose live totals are the server's to the cent, issuing it, a
 * partial payment, a credit note for the rest, an invited bookkeeper joining, and a phone-width
 * look. Each main page is saved to test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { apiGet, checkPage, PHONE, screenshot, startWebApp, waitForText, type WebApp } from '../helpers/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@lovelace-consulting.example', password: 'correct horse battery' };
const euro = (amount: string) => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(amount as Intl.StringNumericLiteral);

const web: WebApp = await startWebApp();
const page: Page = await web.newPage();
/** A link of the main navigation (the sidebar). */
const nav = (name: string, on: Page = page) => on.locator('#sidebar').getByRole('link', { name, exact: true });
const PAGES: Record<string, [path: string, heading: string]> = {
  Dashboard: ['/', 'Hello, Ada'], Customers: ['/customers', 'Customers'], Invoices: ['/invoices', 'Invoices'],
  Payments: ['/payments', 'Payments'], Settings: ['/settings/organization', 'Settings'],
};
/** Checks the page (labels, no sideways scrolling) and saves its screenshot. */
async function snap(name: string, on: Page = page, options: { fullPage?: boolean } = {}): Promise<void> {
  await checkPage(on);
  await screenshot(on, name, options);
}

/** Follows a link of the main navigation and waits for its page (not only its URL: React renders it a moment later). */
async function go(name: string): Promise<void> {
  const [path, heading] = PAGES[name]!;
  await nav(name).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

describe('billing in the browser', { timeout: 90_000 }, () => {
  let invoiceId = '';
  let invoiceNumber = '';

  test('a fresh installation opens on the first-run setup and lands on the dashboard', async () => {
    await page.goto(web.url('/'));
    await page.waitForURL('**/setup');
    await page.getByLabel('Organization name').waitFor();
    await snap('10-first-run-setup');
    await page.getByLabel('Organization name').fill('Lovelace Consulting GmbH');
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByLabel('Language and number format').selectOption('de-DE');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create organization' }).click();
    // The server's message appears next to the field.
    await waitForText(page.locator('.field.has-error .field-error'), /10/);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Hello, Ada' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await page.getByText('No invoices yet — create your first').waitFor();
    await snap('01-dashboard-empty');
  });

  test('signing out and in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /./ }).first().waitFor();
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hello, Ada' }).waitFor();
  });

  test('tax rates and an item in settings', async () => {
    await go('Settings');
    await page.getByRole('link', { name: 'Tax rates' }).click();
    for (const [name, percentage] of [['VAT 19%', '19'], ['VAT 7%', '7']]) {
      await page.getByLabel('Name').fill(name!);
      await page.getByLabel('Rate %').fill(percentage!);
      await page.getByRole('button', { name: 'Add tax rate' }).click();
      await page.getByRole('cell', { name }).waitFor();
    }
    await page.getByRole('link', { name: 'Items' }).click();
    await page.getByRole('button', { name: 'New item' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Consulting');
    await dialog.getByLabel('Unit price').fill('120,00');
    await dialog.getByLabel('Unit', { exact: true }).fill('hour');
    await dialog.getByRole('button', { name: /^Tax rates/ }).click();
    await dialog.getByLabel('VAT 19%').check();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.getByRole('button', { name: 'Add item' }).click();
    await page.getByRole('cell', { name: 'Consulting', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Tax rates' }).click();
    await snap('07-settings-tax-rates');
  });

  test('creating a customer', async () => {
    await go('Customers');
    await page.getByText('No customers yet — add your first').waitFor();
    await page.getByRole('main').getByRole('link', { name: 'New customer' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Globex Corporation');
    await page.getByLabel('Billing email').fill('ap@globex');
    await page.getByLabel('Days').fill('14');
    await page.getByRole('button', { name: 'Add customer' }).click();
    // A wrong address is refused by the server; its message shows beside the field.
    await waitForText(page.locator('.field.has-error .field-error'), /./);
    await page.getByLabel('Billing email').fill('ap@globex.example');
    await page.getByRole('button', { name: 'Add customer' }).click();
    await page.getByRole('heading', { name: 'Globex Corporation' }).waitFor();
    await go('Customers');
    await page.getByRole('link', { name: 'Globex Corporation' }).waitFor();
    await snap('02-customers');
  });

  test('drafting a 3-line invoice with two tax rates shows the server’s totals to the cent', async () => {
    await page.getByRole('link', { name: 'Globex Corporation' }).click();
    await page.getByRole('main').getByRole('link', { name: 'New invoice' }).click();
    await page.waitForURL('**/invoices/new?customerId=*');

    // Line 1 from the catalogue: typing the item's name fills price and tax.
    const description = (n: number) => page.getByLabel(`Description, line ${n}`);
    await description(1).fill('Consulting');
    await page.getByLabel('Quantity, line 1').fill('10,5');
    await waitForText(page.getByLabel('Tax, line 1'), 'VAT 19%');
    // Enter adds the next line and moves to it.
    await page.getByLabel('Quantity, line 1').press('Enter');
    await description(2).waitFor();
    assert.equal(await description(2).evaluate((el) => el === document.activeElement), true);
    await page.keyboard.type('Workshop materials');
    await page.getByLabel('Quantity, line 2').fill('3');
    await page.getByLabel('Unit price, line 2').fill('33,33');
    await page.getByLabel('Tax, line 2').click();
    await page.getByRole('group', { name: 'Tax, line 2' }).getByLabel('VAT 19%').uncheck();
    await page.getByRole('group', { name: 'Tax, line 2' }).getByLabel('VAT 7%').check();
    await page.getByRole('group', { name: 'Tax, line 2' }).getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Unit price, line 2').press('Enter');
    await description(3).fill('Travel expenses');
    await page.getByLabel('Unit price, line 3').fill('49,95');
    // A new line starts with the taxes of the line before it (VAT 7%): make it 19 %.
    await waitForText(page.getByLabel('Tax, line 3'), 'VAT 7%');
    await page.getByLabel('Tax, line 3').click();
    await page.getByRole('group', { name: 'Tax, line 3' }).getByLabel('VAT 7%').uncheck();
    await page.getByRole('group', { name: 'Tax, line 3' }).getByLabel('VAT 19%').check();
    await page.keyboard.press('Escape');

    const totals = page.locator('[data-preview-state]');
    await page.locator('[data-preview-state="ready"]').waitFor();
    // 10.5 × 120.00 + 49.95 at 19 %, 3 × 33.33 at 7 %: each tax rounded once on its base.
    await waitForText(totals.getByTestId('total'), euro('1665.83'));
    const shown = {
      subtotal: await totals.getByTestId('subtotal').textContent(),
      taxes: await totals.getByTestId('tax').allTextContents(),
      total: await totals.getByTestId('total').textContent(),
    };
    assert.deepEqual(shown, { subtotal: euro('1409.94'), taxes: [euro('248.89'), euro('7.00')], total: euro('1665.83') });
    await snap('04-invoice-editor');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    invoiceId = new URL(page.url()).pathname.split('/').pop()!;
    const saved = await apiGet(page, `/v1/invoices/${invoiceId}`);
    assert.equal(saved.lines.length, 3);
    await page.locator('[data-preview-state="ready"]').waitFor();
    assert.equal(await totals.getByTestId('subtotal').textContent(), euro(saved.subtotal));
    assert.deepEqual(await totals.getByTestId('tax').allTextContents(), saved.taxBreakdown.map((t: { tax: string }) => euro(t.tax)));
    assert.equal(await totals.getByTestId('total').textContent(), euro(saved.total));
  });

  test('issuing the invoice gives it a number', async () => {
    await page.getByRole('button', { name: 'Issue invoice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Issue invoice' }).click();
    invoiceNumber = await waitForText(page.getByTestId('invoice-number'), /\d/);
    const issued = await apiGet(page, `/v1/invoices/${invoiceId}`);
    assert.equal(issued.number, invoiceNumber);
    assert.equal(issued.status, 'open');
    await waitForText(page.locator('h1 .badge'), 'Open');
    await snap('05-invoice-view');
  });

  test('a partial payment, then a credit note for the rest', async () => {
    await page.getByRole('button', { name: 'Record payment' }).click();
    const payment = page.getByRole('dialog');
    await payment.getByLabel(/^Amount/).fill('1000,00');
    await payment.getByLabel('Reference').fill('Globex remittance 4711');
    await payment.getByRole('button', { name: 'Record payment' }).click();
    await waitForText(page.locator('h1 .badge'), 'Partially paid');
    await waitForText(page.getByTestId('amount-due'), euro('665.83'));

    await page.getByRole('button', { name: 'Credit note' }).click();
    const credit = page.getByRole('dialog');
    assert.equal(await credit.getByLabel(/^Amount/).inputValue(), '665,83');
    await credit.getByLabel('Reason').fill('Goodwill: the workshop ran short');
    await credit.getByRole('button', { name: 'Issue credit note' }).click();
    await waitForText(page.locator('h1 .badge'), 'Paid');
    const paid = await apiGet(page, `/v1/invoices/${invoiceId}`);
    assert.deepEqual([paid.status, paid.amountPaid, paid.amountCredited, paid.amountDue], ['paid', '1000.00', '665.83', '0.00']);
    await snap('05b-invoice-paid');
  });

  test('the customer, payments and dashboard reflect it', async () => {
    await page.getByRole('link', { name: 'Globex Corporation' }).first().click();
    await page.getByRole('heading', { name: 'Globex Corporation' }).waitFor();
    await page.getByRole('cell', { name: invoiceNumber, exact: true }).first().waitFor();
    await snap('03-customer-detail');

    await go('Payments');
    await page.getByRole('link', { name: invoiceNumber, exact: true }).waitFor();
    await snap('06-payments');

    // A second draft so the dashboard has something waiting.
    await page.goto(web.url('/invoices/new'));
    await page.getByLabel('Customer').selectOption({ label: 'Globex Corporation' });
    await page.getByLabel('Description, line 1').fill('Retainer, July');
    await page.getByLabel('Unit price, line 1').fill('800');
    await page.locator('[data-preview-state="ready"]').waitFor();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/invoices\/inv_/);

    await go('Dashboard');
    await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
    await waitForText(page.locator('.kpi').filter({ hasText: 'Paid this month' }).locator('.kpi-value'), euro('1000.00'));
    await snap('00-dashboard');

    await go('Invoices');
    await page.getByRole('cell', { name: invoiceNumber, exact: true }).waitFor();
    await snap('04b-invoices');
  });

  test('a payment recorded from the payments page settles the invoice chosen; the rest is customer credit', async () => {
    await go('Dashboard');
    await page.locator('.attention').getByRole('link', { name: /Globex Corporation/ }).click();
    await page.getByRole('button', { name: 'Issue invoice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Issue invoice' }).click();
    const retainer = await waitForText(page.getByTestId('invoice-number'), /\d/);

    await go('Payments');
    await page.getByRole('main').getByRole('link', { name: 'Record payment' }).click();
    await page.getByLabel('Customer').selectOption({ label: 'Globex Corporation' });
    await page.getByLabel(/^Amount/).fill('900');
    await page.getByLabel('Let me choose').check();
    await page.getByLabel(`Apply to ${retainer}`).check();
    assert.equal(await page.getByLabel(`Amount applied to ${retainer}`).inputValue(), '800,00');
    await waitForText(page.locator('.allocation-summary'), `To customer credit ${euro('100.00')}`);
    await snap('06b-record-payment');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByRole('heading', { name: 'Globex Corporation' }).waitFor();
    await waitForText(page.locator('.kpi').filter({ hasText: 'Credit' }).locator('.kpi-value'), euro('100.00'));
    const customerId = new URL(page.url()).pathname.split('/').pop();
    const customer = await apiGet(page, `/v1/customers/${customerId}`);
    assert.deepEqual([customer.balance, customer.creditBalance], ['0.00', '100.00']);
  });

  test('an invited bookkeeper joins with the link', async () => {
    await go('Settings');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Email').fill('bob@lovelace-consulting.example');
    await page.getByLabel('Role').selectOption('bookkeeper');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await page.getByLabel('Invitation link').inputValue();
    assert.match(link, /\/invite\//);
    await snap('07b-settings-users');

    const guest = await web.newPage();
    await guest.goto(link);
    await guest.getByRole('heading', { name: 'Join Lovelace Consulting GmbH' }).waitFor();
    await guest.getByLabel('Your name').fill('Bob Babbage');
    await guest.getByLabel('Password').fill('difference engine 2');
    await guest.getByRole('button', { name: /^Join/ }).click();
    await guest.getByRole('heading', { name: 'Hello, Bob' }).waitFor();
  });

  test('at phone width the navigation collapses behind a menu button', async () => {
    const phone = await web.newContext({ viewport: PHONE });
    const cookies = await page.context().cookies();
    await phone.addCookies(cookies);
    const small = await phone.newPage();
    await small.goto(web.url('/'));
    await small.getByRole('heading', { name: 'Hello, Ada' }).waitFor();
    const customers = nav('Customers', small);
    assert.equal(await customers.isVisible(), false);
    await snap('08-phone-dashboard', small);
    await small.getByRole('button', { name: 'Open menu' }).click();
    await customers.waitFor({ state: 'visible' });
    await snap('08b-phone-menu', small, { fullPage: false });
    await customers.click();
    await small.getByRole('heading', { name: 'Customers' }).waitFor();
    await customers.waitFor({ state: 'hidden' });
    await snap('08d-phone-customers', small);
    await small.goto(web.url(`/invoices/${invoiceId}`));
    await small.getByTestId('invoice-number').waitFor();
    await snap('08c-phone-invoice', small);
    await small.goto(web.url('/invoices/new'));
    await small.getByLabel('Customer').selectOption({ label: 'Globex Corporation' });
    await small.getByLabel('Description, line 1').fill('Consulting');
    await small.getByLabel('Quantity, line 1').fill('4');
    await small.locator('[data-preview-state="ready"]').waitFor();
    await snap('08e-phone-editor', small);
  });

  test('signing out ends the session', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto(web.url(`/invoices/${invoiceId}`));
    await page.waitForURL(/\/sign-in\?next=/);
    const status = await page.evaluate(async () => (await fetch('/v1/session')).status);
    assert.equal(status, 401);
  });
});
