/**
 * Crediting chosen invoice lines with quantities, and a customer's contacts, in Chromium. The
 * organization, customer and issued invoice are made through the API; the browser does the rest.
 * The server refuses more than is left of a line and a contact's bad address: its messages show
 * beside the field concerned.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const money = euro;

const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Curie Consulting', { name: 'Marie Curie', email: 'marie@curie-consulting.example', password: 'polonium and radium' });

const vat = await api('POST', '/v1/tax-rates', { name: 'VAT 19%', percentage: '19', category: 'S' });
const customer = await api('POST', '/v1/customers', { name: 'Initech', email: 'ap@initech.example', currency: 'EUR' });
const draft = await api('POST', '/v1/invoices', {
  customerId: customer.id,
  lines: [
    { description: 'Consulting', quantity: '10', unit: 'hour', unitPrice: '100.00', taxRateIds: [vat.id] },
    { description: 'Travel', quantity: '1', unitPrice: '250.00', taxRateIds: [vat.id] },
  ],
});
const invoice = await api('POST', `/v1/invoices/${draft.id}/issue`, {});
assert.equal(invoice.total, '1487.50');

describe('credit notes by lines, and customer contacts', { timeout: 60_000 }, () => {
  let page: Page;

  test('crediting chosen lines: more than is left is refused beside the line, then the credit notes show on the invoice', async () => {
    page = await web.newPage();
    await signIn(page, `/invoices/${invoice.id}`);
    await waitForText(page.getByTestId('invoice-number'), invoice.number);

    await page.getByRole('button', { name: 'Credit note' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('By lines').check();
    await dialog.getByText('10 of 10 hour left').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Issue credit note' }).isDisabled(), true);
    await dialog.getByLabel('Credit line 1').check();
    // A chosen line starts with all that is left of it.
    const quantity = dialog.getByLabel('Quantity to credit, line 1');
    assert.equal(await quantity.inputValue(), '10');
    await quantity.fill('12');
    await dialog.getByLabel('Credit line 2').check();
    await dialog.getByRole('button', { name: 'Issue credit note' }).click();
    // (The inner locator of `has` is relative to the row: it starts from the page.)
    await waitForText(dialog.getByRole('row').filter({ has: page.getByLabel('Quantity to credit, line 1') }).locator('.field-error'), 'only 10 of this line is left to credit');
    assert.equal(await quantity.getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByLabel('Quantity to credit, line 2').getAttribute('aria-invalid'), null);
    await waitForText(dialog.getByRole('alert'), 'Please correct the highlighted field');
    await checkPage(page);
    await screenshot(page, '11-credit-by-lines-refused', { fullPage: false });
    assert.equal((await api('GET', `/v1/credit-notes?invoiceId=${invoice.id}`)).data.length, 0);

    await quantity.fill('4');
    await dialog.getByLabel('Reason').fill('Scope reduced');
    await dialog.getByRole('button', { name: 'Issue credit note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // 4 h × 100.00 + 250.00, with 19 % VAT: 773.50.
    const panel = page.getByRole('region', { name: 'Credit notes' });
    await waitForText(panel.getByRole('row').nth(1), '4 hour × Consulting; 1 × Travel');
    await waitForText(panel.getByRole('row').nth(1), money('773.50'));
    await waitForText(page.getByTestId('amount-due'), money('714.00'));
    const [first] = (await api('GET', `/v1/credit-notes?invoiceId=${invoice.id}`)).data;
    assert.deepEqual(
      [first.total, first.reason, first.lines.map((l: any) => [l.invoiceLineId, l.quantity])],
      ['773.50', 'Scope reduced', [[invoice.lines[0].id, '4'], [invoice.lines[1].id, '1']]],
    );

    // What is left: 6 hours of consulting; travel is fully credited.
    await page.getByRole('button', { name: 'Credit note' }).click();
    await dialog.getByLabel('By lines').check();
    await dialog.getByText('6 of 10 hour left').waitFor();
    assert.equal(await dialog.getByLabel('Credit line 2').isDisabled(), true);
    await dialog.getByLabel('Credit line 1').check();
    assert.equal(await dialog.getByLabel('Quantity to credit, line 1').inputValue(), '6');
    await dialog.getByRole('button', { name: 'Issue credit note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForText(page.locator('h1 .badge'), 'Paid');
    // Newest first.
    await waitForText(panel.getByRole('row').nth(1), '6 hour × Consulting');
    await waitForText(panel.getByRole('row').nth(2), '4 hour × Consulting; 1 × Travel');
    assert.equal(await panel.getByRole('row').count(), 3);
    const credited = await apiGet(page, `/v1/invoices/${invoice.id}`);
    assert.deepEqual([credited.status, credited.amountCredited, credited.amountDue], ['paid', '1487.50', '0.00']);
    await screenshot(page, '12-invoice-credit-notes');
  });

  test('contacts in the customer form: a bad address is refused beside its field; saving replaces the list', async () => {
    await page.goto(web.url(`/customers/${customer.id}/edit`));
    await page.getByRole('heading', { name: 'Edit Initech' }).waitFor();
    await page.getByRole('button', { name: 'Add a contact' }).click();
    // The new row's name has focus.
    const name1 = page.getByLabel('Contact 1 Name');
    assert.equal(await name1.evaluate((el) => el === document.activeElement), true);
    await name1.fill('Peter Gibbons');
    await page.getByLabel('Contact 1 Email').fill('peter@initech.example');
    await page.getByRole('button', { name: 'Add a contact' }).click();
    await page.getByLabel('Contact 2 Name').fill('Bill Lumbergh');
    const email2 = page.getByLabel('Contact 2 Email');
    await email2.fill('bill-at-initech');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await waitForText(page.locator('.field.has-error').filter({ has: email2 }).locator('.field-error'), /./);
    assert.equal(await email2.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Contact 1 Email').getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('.field.has-error').count(), 1);
    await checkPage(page);
    await screenshot(page, '13-customer-contacts-refused');

    await email2.fill('bill@initech.example');
    await page.getByLabel('Contact 2 Receives invoices').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Initech', exact: true }).waitFor();
    const contacts = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
    await waitForText(contacts.nth(0), 'Peter Gibbonspeter@initech.example · receives invoices');
    assert.equal(await contacts.nth(1).textContent(), 'Bill Lumberghbill@initech.example');
    await screenshot(page, '13b-customer-contacts');
    const saved = await apiGet(page, `/v1/customers/${customer.id}`);
    assert.deepEqual(
      saved.contacts.map(({ name, email, receivesInvoices }: any) => ({ name, email, receivesInvoices })),
      [
        { name: 'Peter Gibbons', email: 'peter@initech.example', receivesInvoices: true },
        { name: 'Bill Lumbergh', email: 'bill@initech.example', receivesInvoices: false },
      ],
    );

    // Removing a contact and saving replaces the list; a row left blank is not sent.
    await page.getByRole('main').getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Remove contact 1' }).click();
    assert.equal(await page.getByLabel('Contact 1 Email').inputValue(), 'bill@initech.example');
    await page.getByRole('button', { name: 'Add a contact' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Initech', exact: true }).waitFor();
    const replaced = await apiGet(page, `/v1/customers/${customer.id}`);
    assert.deepEqual(replaced.contacts.map((c: any) => c.email), ['bill@initech.example']);
  });

  test('at phone width the contact rows fit the screen', async () => {
    const phone = await web.newContext({ viewport: PHONE });
    await phone.addCookies(await page.context().cookies());
    const small = await phone.newPage();
    await small.goto(web.url(`/customers/${customer.id}/edit`));
    await small.getByLabel('Contact 1 Email').waitFor();
    await small.getByRole('button', { name: 'Add a contact' }).click();
    await checkPage(small);
    // The new row took focus and scrolled the page: a full-page picture wants it at the top.
    await small.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await screenshot(small, '14-phone-customer-contacts');
  });
});
