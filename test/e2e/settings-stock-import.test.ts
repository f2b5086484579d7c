/**
 * Invoice approval, stock, time import and receipts in Chromium: a rule made in settings keeps a
 * large draft from being issued until an owner approves it (after a rejection with a comment); a
 * rule edited to name a member as its approver lets that member approve their part of a draft that
 * two rules cover, and the owner the other; stock corrections change the quantity on hand and the low-stock list; a Toggl file with a bad
 * row is refused with its line and column and imports nothing, the corrected file imports; a PNG
 * receipt is attached to an expense and comes back byte for byte.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const OWNER = { name: 'Grace Hopper', email: 'grace@hopper-systems.example', password: 'nanoseconds 11.8 inches' };
const MEMBER = { name: 'Alan Turing', email: 'alan@hopper-systems.example', password: 'on computable numbers' };
const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Hopper Systems', OWNER);
const customer = await api('POST', '/v1/customers', { name: 'Globex', email: 'ap@globex.example', currency: 'EUR' });
const other = await api('POST', '/v1/customers', { name: 'Initech', email: 'ap@initech.example', currency: 'EUR' });
const project = await api('POST', '/v1/projects', { customerId: customer.id, name: 'Website', billing: { model: 'hourly', rate: '100' } });
await api('POST', `/v1/projects/${project.id}/tasks`, { name: 'Design' });

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const TOGGL_HEADER = 'User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)';
const togglFile = (secondDuration: string) =>
  [
    TOGGL_HEADER,
    `Grace Hopper,${OWNER.email},Globex,Website,Design,Wireframes,Yes,2026-03-02,09:00:00,2026-03-02,10:30:00,01:30:00,,150.00`,
    `Grace Hopper,${OWNER.email},Globex,Website,Design,"Review, with client",Yes,2026-03-03,14:00:00,2026-03-03,14:45:00,${secondDuration},,75.00`,
    `Grace Hopper,${OWNER.email},Globex,Website,,Standup,No,2026-03-04,09:00:00,2026-03-04,09:20:00,00:20:00,,0.00`,
    '',
  ].join('\r\n');

/** Bytes fetched with the page's session, as base64. */
const fetchBytes = (page: Page, url: string) =>
  page.evaluate(async (path) => {
    const response = await fetch(path);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return { status: response.status, type: response.headers.get('content-type'), base64: btoa(text) };
  }, url);

describe('approval rules, stock, time import and receipts', { timeout: 90_000 }, () => {
  let page: Page;

  test('an approval rule made in settings keeps a large draft from being issued until it is approved', async () => {
    page = await web.newPage();
    await signIn(page, '/settings/approvals');
    await page.getByText('No approval rules').waitFor();

    // A rule by customer only: listed, then deleted.
    await page.getByLabel('Name', { exact: true }).fill('Initech invoices');
    await page.getByLabel('Initech').check();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await waitForText(page.getByRole('row', { name: /Initech invoices/ }), 'for Initech');
    assert.deepEqual((await apiGet(page, '/v1/approval-rules')).data.map((r: any) => [r.name, r.minimumTotal, r.customerIds]), [['Initech invoices', null, [other.id]]]);
    await page.getByRole('button', { name: 'Delete rule Initech invoices' }).click();
    await page.getByText('No approval rules').waitFor();
    assert.equal((await apiGet(page, '/v1/approval-rules')).data.length, 0);

    // An amount without a name is refused next to the field.
    await page.getByLabel('Minimum total').fill('1000.00');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('.field.has-error').first().waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Large invoices');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await waitForText(page.getByRole('row', { name: /Large invoices/ }), `total of ${euro('1000.00')} or more`);
    const [rule] = (await apiGet(page, '/v1/approval-rules')).data;
    assert.deepEqual([rule.minimumTotal, rule.currency, rule.customerIds], ['1000.00', 'EUR', null]);
    await checkPage(page);
    await screenshot(page, '50-approval-rules', { fullPage: false });

    // A small draft needs nothing; a large one shows that it needs approval.
    const small = await api('POST', '/v1/invoices', { customerId: customer.id, lines: [{ description: 'Hosting', quantity: '1', unitPrice: '40.00' }] });
    const large = await api('POST', '/v1/invoices', { customerId: customer.id, lines: [{ description: 'Redesign', quantity: '12', unitPrice: '100.00' }] });
    await page.goto(web.url(`/invoices/${small.id}`));
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    assert.equal(await page.getByTestId('approval-panel').count(), 0);

    await page.goto(web.url(`/invoices/${large.id}`));
    const panel = page.getByTestId('approval-panel');
    await waitForText(panel, 'This draft needs approval before it can be issued.');
    await waitForText(panel, 'Large invoices');

    // Issuing from the editor is refused with the server's reason, and the draft stays a draft.
    await page.locator('.editor-actions').getByRole('button', { name: 'Issue invoice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Issue invoice' }).click();
    await waitForText(page.locator('.editor-actions .alert-error'), /needs approval \(Large invoices\) before it can be issued/);
    assert.equal((await apiGet(page, `/v1/invoices/${large.id}`)).status, 'draft');
    await checkPage(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '51-invoice-needs-approval', { fullPage: false });

    // Rejected with a comment, then approved: both decisions are listed with who made them.
    await panel.getByLabel('Comment').fill('Check the hours first');
    await panel.getByRole('button', { name: 'Reject' }).click();
    await waitForText(panel.getByRole('list', { name: 'Approval decisions' }), /Rejected by Grace Hopper.*Check the hours first/);
    await waitForText(panel.locator('.panel-title'), 'Rejected');
    await panel.getByRole('button', { name: 'Approve' }).click();
    await waitForText(panel.locator('.panel-title'), 'Approved');
    await waitForText(panel.getByRole('list', { name: 'Approval decisions' }).locator('li').nth(1), 'Approved by Grace Hopper');
    const approval = await apiGet(page, `/v1/invoices/${large.id}/approval`);
    assert.deepEqual(approval.decisions.map((d: any) => [d.decision, d.comment, d.current]), [['rejected', 'Check the hours first', true], ['approved', null, true]]);
    assert.equal(approval.status, 'approved');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '52-invoice-approved', { fullPage: false });

    await panel.getByRole('button', { name: 'Issue approved invoice' }).click();
    await waitForText(page.getByTestId('invoice-number'), /\S/);
    const issued = await apiGet(page, `/v1/invoices/${large.id}`);
    assert.equal(issued.status, 'open');
    assert.equal(issued.total, '1200.00');
    await waitForText(page.locator('.timeline'), /Approved by Grace Hopper/);
  });

  test('a member named as a rule\'s approver approves their rule, the owner the other, then the draft is issued', async () => {
    // The member joins with an invitation link and is signed in by it.
    const invitation = await api('POST', '/v1/invitations', { email: MEMBER.email, role: 'member' });
    const memberPage = await web.newPage();
    await memberPage.goto(web.url(invitation.url));
    await memberPage.getByLabel('Your name').fill(MEMBER.name);
    await memberPage.getByLabel('Password').fill(MEMBER.password);
    await memberPage.getByRole('button', { name: /^Join/ }).click();
    await memberPage.getByRole('heading', { name: 'Hello, Alan' }).waitFor();
    const member = (await apiGet(memberPage, '/v1/session')).user;
    assert.equal(member.role, 'member');

    // A rule for Globex without approvers: any owner or admin approves.
    await page.goto(web.url('/settings/approvals'));
    const form = page.locator('#approval-rule-form');
    await form.getByLabel('Name', { exact: true }).fill('Globex');
    await form.getByLabel('Globex').check();
    await form.getByRole('button', { name: 'Add rule' }).click();
    await waitForText(page.getByRole('row', { name: /^Globex/ }), /for Globex\s*Any owner or admin/);
    const created = (await apiGet(page, '/v1/approval-rules')).data.find((r: any) => r.name === 'Globex');
    assert.deepEqual([created.customerIds, created.approverIds], [[customer.id], null]);

    // Edited: the form comes back filled in; renamed and given the member as its approver.
    await page.getByRole('button', { name: 'Edit rule Globex' }).click();
    await waitForText(form.getByRole('heading'), 'Edit rule Globex');
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'Globex');
    assert.equal(await form.getByLabel('Globex').isChecked(), true);
    assert.equal(await form.getByLabel('Alan Turing').isChecked(), false);
    await form.getByLabel('Name', { exact: true }).fill('Globex invoices');
    await form.getByLabel('Alan Turing').check();
    await checkPage(page);
    await screenshot(page, '52b-approval-rule-edit', { fullPage: false });
    await form.getByRole('button', { name: 'Save rule' }).click();
    await waitForText(page.getByRole('row', { name: /^Globex invoices/ }), /for Globex\s*Alan Turing/);
    await waitForText(form.getByRole('heading'), 'Add an approval rule');
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), '');
    const rules = (await apiGet(page, '/v1/approval-rules')).data;
    assert.deepEqual(rules.map((r: any) => [r.name, r.approverIds]), [['Large invoices', null], ['Globex invoices', [member.id]]]);
    assert.equal(rules[1].id, created.id);

    // A draft for Initech over the amount: only Large invoices applies, which the member does not approve for.
    const initech = await api('POST', '/v1/invoices', { customerId: other.id, lines: [{ description: 'Audit', quantity: '11', unitPrice: '100.00' }] });
    await memberPage.goto(web.url(`/invoices/${initech.id}`));
    const initechPanel = memberPage.getByTestId('approval-panel');
    await waitForText(initechPanel, 'You do not approve for this rule');
    assert.equal(await initechPanel.getByRole('button', { name: 'Approve' }).count(), 0);

    // A Globex draft over the amount needs both rules: the member sees both, and Approve.
    const draft = await api('POST', '/v1/invoices', { customerId: customer.id, lines: [{ description: 'Migration', quantity: '15', unitPrice: '100.00' }] });
    await memberPage.goto(web.url(`/invoices/${draft.id}`));
    const panel = memberPage.getByTestId('approval-panel');
    const statuses = panel.getByRole('list', { name: 'Approval rules' });
    const large = statuses.getByRole('listitem').filter({ hasText: 'Large invoices' });
    const globex = statuses.getByRole('listitem').filter({ hasText: 'Globex invoices' });
    await waitForText(large, /Pending\s*Approvers: any owner or admin \(Grace Hopper\)/);
    await waitForText(globex, /Pending\s*Approver: Alan Turing/);
    await waitForText(panel.locator('.hint'), 'Your decision counts for Globex invoices');
    await checkPage(memberPage);
    await panel.getByRole('button', { name: 'Approve' }).click();
    await waitForText(globex, 'Approved');
    await waitForText(large, 'Pending');
    await waitForText(panel.locator('.panel-title'), 'Needs approval');
    await waitForText(panel.getByRole('list', { name: 'Approval decisions' }), 'Approved by Alan Turing');
    assert.equal(await panel.getByRole('button', { name: 'Issue approved invoice' }).count(), 0);
    let approval = await apiGet(memberPage, `/v1/invoices/${draft.id}/approval`);
    assert.equal(approval.status, 'pending');
    assert.deepEqual(approval.ruleStatuses.map((r: any) => [r.name, r.status]), [['Large invoices', 'pending'], ['Globex invoices', 'approved']]);
    await memberPage.evaluate(() => window.scrollTo(0, 0));
    await screenshot(memberPage, '52c-invoice-rule-statuses', { fullPage: false });

    // The owner approves for Large invoices (not for Globex invoices, which names the member only); then it is issued.
    await page.goto(web.url(`/invoices/${draft.id}`));
    const ownerPanel = page.getByTestId('approval-panel');
    await waitForText(ownerPanel.getByRole('list', { name: 'Approval rules' }).getByRole('listitem').filter({ hasText: 'Globex invoices' }), 'Approved');
    await waitForText(ownerPanel.locator('.hint'), /Your decision counts for Large invoices\.$/);
    await ownerPanel.getByRole('button', { name: 'Approve' }).click();
    await waitForText(ownerPanel.locator('.panel-title'), 'Approved');
    await waitForText(ownerPanel.getByRole('list', { name: 'Approval rules' }).getByRole('listitem').filter({ hasText: 'Large invoices' }), 'Approved');
    approval = await apiGet(page, `/v1/invoices/${draft.id}/approval`);
    assert.equal(approval.status, 'approved');
    assert.deepEqual(approval.ruleStatuses.map((r: any) => r.status), ['approved', 'approved']);
    await ownerPanel.getByRole('button', { name: 'Issue approved invoice' }).click();
    await waitForText(page.getByTestId('invoice-number'), /\S/);
    const issued = await apiGet(page, `/v1/invoices/${draft.id}`);
    assert.deepEqual([issued.status, issued.total], ['open', '1500.00']);
    await waitForText(page.locator('.timeline'), /Approved by Alan Turing.*Approved by Grace Hopper/s);
    await memberPage.context().close();
  });

  test('stock: tracking an item, adjusting it, and the low-stock list', async () => {
    await page.goto(web.url('/settings/items'));
    await page.getByRole('button', { name: 'New item' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('USB-C cable');
    await dialog.getByLabel('Unit price').fill('9.90');
    await dialog.getByLabel('Unit', { exact: true }).fill('piece');
    await dialog.getByLabel(/Track stock/).check();
    await dialog.getByLabel('Low-stock threshold').fill('5');
    await dialog.getByRole('button', { name: 'Add item' }).click();
    await page.getByRole('cell', { name: 'USB-C cable', exact: true }).waitFor();
    const item = (await apiGet(page, '/v1/items')).data.find((i: any) => i.name === 'USB-C cable');
    assert.deepEqual([item.trackStock, item.quantityOnHand, item.lowStockThreshold], [true, '0', '5']);

    await page.locator('#sidebar').getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByRole('heading', { name: 'Stock', level: 1 }).waitFor();
    const low = page.getByRole('region', { name: 'Low stock' });
    await waitForText(low.getByRole('row', { name: /USB-C cable/ }), '0 piece');
    const onHand = page.getByTestId(`on-hand-${item.id}`);
    await waitForText(onHand, '0 piece');

    // A delivery of 12.5: exact decimals, and no longer low.
    await page.getByRole('button', { name: 'Adjust stock of USB-C cable' }).click();
    await page.getByRole('dialog').getByLabel('Change').fill('12.5');
    await waitForText(page.getByRole('dialog').locator('.hint').first(), 'Afterwards: 12.5 piece');
    await page.getByRole('dialog').getByLabel('Reason').fill('Delivery from supplier');
    await page.getByRole('dialog').getByRole('button', { name: 'Save adjustment' }).click();
    await waitForText(onHand, '12.5 piece');
    await low.getByText('Nothing is at or below its low-stock threshold.').waitFor();

    // More than is on hand is refused and changes nothing; a loss of 8.25 brings it low.
    await page.getByRole('button', { name: 'Adjust stock of USB-C cable' }).click();
    await page.getByRole('dialog').getByLabel('Change').fill('-20');
    await page.getByRole('dialog').getByRole('button', { name: 'Save adjustment' }).click();
    await waitForText(page.getByRole('dialog').locator('.field-error'), /Only 12.5 of USB-C cable in stock/);
    await page.getByRole('dialog').getByLabel('Change').fill('-8.25');
    await page.getByRole('dialog').getByLabel('Reason').fill('Damaged in storage');
    await page.getByRole('dialog').getByRole('button', { name: 'Save adjustment' }).click();
    await waitForText(onHand, '4.25 piece');
    await waitForText(low.getByRole('row', { name: /USB-C cable/ }), '4.25 piece');
    const [lowItem] = (await apiGet(page, '/v1/items/low-stock')).data;
    assert.deepEqual([lowItem.itemId, lowItem.quantityOnHand], [item.id, '4.25']);
    await checkPage(page);
    await screenshot(page, '53-stock', { fullPage: false });
  });

  test('a Toggl file with a bad row is refused row by row and imports nothing; corrected, it imports', async () => {
    await page.locator('#sidebar').getByRole('link', { name: 'Time', exact: true }).click();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import time', level: 1 }).waitFor();
    await page.getByLabel('Exported from').selectOption('toggl');
    await page.getByLabel('CSV file').setInputFiles({ name: 'toggl-march.csv', mimeType: 'text/csv', buffer: Buffer.from(togglFile('45 min')) });
    await waitForText(page.getByTestId('import-file-name'), 'toggl-march.csv');
    await page.getByRole('button', { name: 'Preview import' }).click();

    const refused = page.getByRole('region', { name: /1 row refused — nothing was imported/ });
    const row = refused.getByRole('row').nth(1);
    await waitForText(row, /^3\s*Duration\s*must be a duration written like 01:30:00 \(got "45 min"\)$/);
    assert.equal(await refused.getByRole('row').count(), 2);
    assert.equal((await apiGet(page, `/v1/time-entries?projectId=${project.id}`)).data.length, 0);
    await checkPage(page);
    await screenshot(page, '54-import-refused', { fullPage: false });

    // The corrected file: previewed (still nothing written), then imported.
    await page.getByLabel('CSV file').setInputFiles({ name: 'toggl-march.csv', mimeType: 'text/csv', buffer: Buffer.from(togglFile('00:45:00')) });
    await page.getByRole('button', { name: 'Preview import' }).click();
    await waitForText(page.getByTestId('import-summary'), '3 rows in toggl-march.csv: 3 to import.');
    const preview = page.getByRole('region', { name: '2. Check the preview' });
    await waitForText(preview.getByRole('row').nth(2), /Review, with client.*0:45/);
    assert.equal(await preview.getByRole('row').count(), 4);
    assert.equal((await apiGet(page, `/v1/time-entries?projectId=${project.id}`)).data.length, 0);
    await checkPage(page);
    await screenshot(page, '55-import-preview', { fullPage: false });

    await page.getByRole('button', { name: 'Import 3 entries' }).click();
    await waitForText(page.getByTestId('import-result'), 'Imported 3 time entries');
    const entries = (await apiGet(page, `/v1/time-entries?projectId=${project.id}`)).data;
    assert.deepEqual(
      entries.map((e: any) => [e.date, e.minutes, e.description, e.billable]).sort(),
      [['2026-03-02', 90, 'Wireframes', true], ['2026-03-03', 45, 'Review, with client', true], ['2026-03-04', 20, 'Standup', false]],
    );

    // The same file again: every row is recognised, nothing to import.
    await page.getByLabel('CSV file').setInputFiles({ name: 'toggl-march.csv', mimeType: 'text/csv', buffer: Buffer.from(togglFile('00:45:00')) });
    await page.getByRole('button', { name: 'Preview import' }).click();
    await waitForText(page.getByTestId('import-summary'), '0 to import, 3 imported before (skipped)');
    assert.equal(await page.getByRole('button', { name: 'Import 0 entries' }).isDisabled(), true);
  });

  test('a PNG receipt attached to an expense opens and downloads byte for byte', async () => {
    const expense = await api('POST', '/v1/expenses', { projectId: project.id, date: '2026-03-05', amount: '23.40', category: 'Taxi' });
    await page.locator('#sidebar').getByRole('link', { name: 'Expenses', exact: true }).click();
    const row = page.getByRole('row', { name: /Taxi/ });
    await waitForText(row, euro('23.40'));

    // Not a receipt type: refused before anything is sent.
    await page.getByLabel('Attach receipt for Taxi').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await waitForText(row.getByRole('alert'), 'A receipt must be a PDF or a picture');
    assert.equal((await apiGet(page, `/v1/expenses/${expense.id}`)).receipt, null);

    await page.getByLabel('Attach receipt for Taxi').setInputFiles({ name: 'taxi-receipt.png', mimeType: 'image/png', buffer: PNG });
    const open = row.getByRole('link', { name: 'taxi-receipt.png', exact: true });
    await open.waitFor();
    assert.equal(await open.getAttribute('href'), `/v1/expenses/${expense.id}/receipt`);
    const saved = await apiGet(page, `/v1/expenses/${expense.id}`);
    assert.deepEqual([saved.receipt.filename, saved.receipt.contentType, saved.receipt.sizeBytes], ['taxi-receipt.png', 'image/png', PNG.length]);
    const fetched = await fetchBytes(page, saved.receipt.url);
    assert.deepEqual([fetched.status, fetched.type, fetched.base64], [200, 'image/png', PNG.toString('base64')]);

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'Download receipt taxi-receipt.png' }).click()]);
    assert.equal(download.suggestedFilename(), 'taxi-receipt.png');
    assert.deepEqual(await fs.readFile((await download.path())!), PNG);
    await checkPage(page);
    await screenshot(page, '56-expense-receipt', { fullPage: false });
  });

  test('the new pages fit a phone', async () => {
    const phone = await web.browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'Europe/Berlin', storageState: await page.context().storageState() });
    const phonePage = await phone.newPage();
    for (const [path, heading] of [['/expenses', 'Expenses'], ['/stock', 'Stock'], ['/time/import', 'Import time'], ['/settings/approvals', 'Settings']] as const) {
      await phonePage.goto(web.url(path));
      await phonePage.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await phonePage.locator('.skeleton').first().waitFor({ state: 'detached' }).catch(() => {});
      await checkPage(phonePage);
    }
    await screenshot(phonePage, '57-approval-rules-phone');
    await phone.close();
  });
});
