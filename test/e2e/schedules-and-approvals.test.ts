/**
 * Fixed-price schedules and time approvals in Chromium: a schedule is set on the project page (the
 * server's field and total errors show by the field), a deposit is billed, paid and deducted, a
 * milestone is completed and billed; an owner approves one week of a member's time and rejects
 * another with a comment, and the entries' states are checked through the API.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createApiKey, insertUser } from '../../src/modules/access/index.ts';
import { inTransaction } from '../../src/shared/db.ts';
import { newId } from '../../src/shared/ids.ts';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Hopper Consulting', { name: 'Ada Lovelace', email: 'ada@hopper.example', password: 'analytical engine 1843' });
const organization = await api('GET', '/v1/organization');
const customer = await api('POST', '/v1/customers', { name: 'Navy Yard', email: 'ap@navy.example', currency: 'EUR' });

/** Today in the organization's time zone, and dates around it. */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** The same page on a phone, signed in as the same person: every field labelled, nothing wider than the screen. */
async function checkOnPhone(page: Page, pathname: string, name: string): Promise<void> {
  const phone = await page.context().browser()!.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'Europe/Berlin', storageState: await page.context().storageState() });
  const phonePage = await phone.newPage();
  await phonePage.goto(web.url(pathname));
  await phonePage.getByRole('heading', { level: 1 }).waitFor();
  await phonePage.locator('table').first().waitFor();
  await checkPage(phonePage);
  await screenshot(phonePage, name);
  await phone.close();
}

const mediumDate = (date: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

describe('a fixed-price project’s schedule: set, corrected, deposit deducted, milestone billed', { timeout: 90_000 }, () => {
  let page: Page;
  let project: any;

  test('the editor shows what is left to allocate and the server’s errors by field', async () => {
    project = await api('POST', '/v1/projects', { customerId: customer.id, name: 'Compiler', billing: { model: 'fixed', amount: '10000.00' } });
    page = await web.newPage();
    await signIn(page, `/projects/${project.id}`);
    await page.getByText('No schedule yet').waitFor();
    await page.getByRole('button', { name: 'Set schedule' }).click();

    const entry = (n: number) => page.getByRole('group', { name: `Entry ${n}` });
    const remaining = page.getByTestId('schedule-remaining');
    await waitForText(remaining, `${euro('10000.00')} of ${euro('10000.00')} left to allocate`);
    await entry(1).getByLabel('Description').fill('Deposit');
    await entry(1).getByLabel('Kind').selectOption('deposit');
    await entry(1).getByLabel('Due date').fill(today);
    await entry(1).getByLabel('Amount').fill('2000.00');
    // A deposit is an advance: it allocates nothing of the amount.
    await waitForText(remaining, `${euro('10000.00')} of ${euro('10000.00')} left to allocate`);
    await waitForText(remaining, `Deposits: ${euro('2000.00')}`);

    await page.getByRole('button', { name: 'Add entry' }).click();
    await entry(2).getByLabel('Description').fill('Design approved');
    await entry(2).getByLabel('Kind').selectOption('milestone');
    await entry(2).getByLabel('Amount').fill('4000.00');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await entry(3).getByLabel('Description').fill('Delivery');
    await entry(3).getByLabel('Amount').fill('6000.10');
    await waitForText(remaining, `${euro('0.10')} more than the project amount`);

    // No due date on the dated entry: the server names that entry, shown at its due date.
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await waitForText(entry(3).locator('.field-error'), 'give a dueDate or milestone');
    assert.equal(await entry(1).locator('.field-error').count(), 0);

    // With a date, the total is 10,000.10: the server refuses the mismatch (schedule_total_mismatch).
    await entry(3).getByLabel('Due date').fill(shift(today, 60));
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await waitForText(page.getByRole('alert'), 'must sum to the project amount 10000.00 exactly (they sum to 10000.10)');
    assert.equal((await apiGet(page, `/v1/projects/${project.id}/schedule`)).entries.length, 0);
    await checkPage(page);
    await screenshot(page, '60-schedule-mismatch', { fullPage: false });

    await entry(3).getByLabel('Amount').fill('6000.00');
    await waitForText(remaining, `All of ${euro('10000.00')} is allocated`);
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('rowheader', { name: 'Design approved' }).waitFor();

    const schedule = await apiGet(page, `/v1/projects/${project.id}/schedule`);
    assert.deepEqual(
      schedule.entries.map((e: any) => [e.description, e.kind, e.amount, e.dueDate]),
      [['Deposit', 'deposit', '2000.00', today], ['Design approved', 'milestone', '4000.00', null], ['Delivery', 'date', '6000.00', shift(today, 60)]],
    );
    await waitForText(page.getByRole('row', { name: /Design approved/ }), 'On completion');
    await waitForText(page.getByRole('row', { name: /Deposit/ }), `${euro('0.00')} of ${euro('2000.00')}`);
  });

  test('a billed deposit shows its invoice and locks the schedule; once paid, the milestone’s invoice deducts it', async () => {
    const first = await api('POST', '/v1/billing-runs', { issue: true });
    assert.equal(first.chargesBilled, 1); // only the deposit is due: the milestone is not completed
    const depositInvoice = await api('GET', `/v1/invoices/${first.invoices[0].invoiceId}`);
    await page.reload();
    const depositRow = page.getByRole('row', { name: /Deposit/ });
    await waitForText(depositRow, 'Billed');
    await depositRow.getByRole('link', { name: depositInvoice.number }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Edit schedule/ }).count(), 0);
    await page.getByText('can no longer be changed').waitFor();

    await api('POST', '/v1/payments', {
      customerId: customer.id, amount: '2000.00', currency: 'EUR', date: today, method: 'bank_transfer',
      allocations: [{ invoiceId: depositInvoice.id, amount: '2000.00' }],
    });

    const milestoneRow = page.getByRole('row', { name: /Design approved/ });
    await milestoneRow.getByRole('button', { name: 'Mark complete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Mark complete' }).click();
    await waitForText(milestoneRow, `Completed ${mediumDate(today)}`);
    await waitForText(milestoneRow, 'Billed by the next run');
    assert.equal(await milestoneRow.getByRole('button', { name: 'Mark complete' }).count(), 0);
    const completed = (await apiGet(page, `/v1/projects/${project.id}/schedule`)).entries[1];
    assert.deepEqual([completed.completedOn, completed.billed], [today, false]);

    const second = await api('POST', '/v1/billing-runs', {});
    assert.equal(second.chargesBilled, 1);
    await page.reload();
    await waitForText(milestoneRow, 'Billed');
    await waitForText(page.getByRole('row', { name: /Deposit/ }), `${euro('2000.00')} of ${euro('2000.00')}`);
    await waitForText(page.getByRole('row', { name: /Delivery/ }), 'Not billed yet');
    await checkPage(page);
    await screenshot(page, '61-schedule-billed', { fullPage: false });
    await checkOnPhone(page, `/projects/${project.id}`, '61-schedule-phone');

    await milestoneRow.getByRole('link', { name: 'Draft invoice' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    const invoiceId = new URL(page.url()).pathname.split('/').pop()!;
    assert.equal(invoiceId, second.invoices[0].invoiceId);
    const invoice = await apiGet(page, `/v1/invoices/${invoiceId}`);
    assert.deepEqual(invoice.lines.map((line: any) => [line.description, line.amount]), [['Compiler: Design approved (milestone)', '4000.00'], ['Less deposit', '-2000.00']]);
    assert.equal(invoice.subtotal, '2000.00');
  });
});

/** A member of the organization with an API key of their own, so the time they record is theirs. */
async function addMember(name: string, email: string) {
  const userId = newId('usr');
  const { key } = await inTransaction(web.db.pool, async (tx) => {
    await insertUser(tx, { id: userId, organizationId: organization.id, email, role: 'member', name });
    return createApiKey(tx, organization.id, userId, 'test');
  });
  const logTime = async (body: Record<string, unknown>) => {
    const response = await web.app.inject({ method: 'POST', url: '/v1/time-entries', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  };
  return { userId, logTime };
}

describe('time approvals: a manager approves one week and rejects another with a comment', { timeout: 90_000 }, () => {
  let page: Page;

  test('pending weeks show per person with their hours and entries; reject needs a comment', async () => {
    page = await web.newPage();
    await signIn(page, '/');
    await page.locator('#sidebar').getByRole('link', { name: 'Approvals' }).click();
    await page.getByText('Nothing waiting for approval').waitFor();

    const project = await api('POST', '/v1/projects', { customerId: customer.id, name: 'Cobol', billing: { model: 'hourly', rate: '100' }, requiresApproval: true });
    const grace = await addMember('Grace Hopper', 'grace@hopper.example');
    // This week's Monday in Berlin, and the two weeks before it.
    const monday = shift(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    const weekA = shift(monday, -14);
    const weekB = shift(monday, -7);
    const a1 = await grace.logTime({ projectId: project.id, date: weekA, minutes: 90, description: 'Parser' });
    const a2 = await grace.logTime({ projectId: project.id, date: shift(weekA, 2), minutes: 60, description: 'Linker' });
    const b1 = await grace.logTime({ projectId: project.id, date: shift(weekB, 1), minutes: 120, description: 'Loader' });
    assert.deepEqual([a1, a2, b1].map((e) => e.approvalState), ['pending', 'pending', 'pending']);

    await page.reload();
    const person = page.getByRole('region', { name: 'Grace Hopper', exact: true });
    await waitForText(person.locator('.panel-head'), '2 weeks, 4:30 h');
    const first = page.getByRole('region', { name: `Grace Hopper, Week of ${mediumDate(weekA)}` });
    await waitForText(first.getByRole('heading'), '2:30 h · 2 entries');
    await first.getByRole('cell', { name: 'Parser' }).waitFor();
    await first.getByRole('cell', { name: 'Linker' }).waitFor();
    const second = page.getByRole('region', { name: `Grace Hopper, Week of ${mediumDate(weekB)}` });
    await waitForText(second.getByRole('heading'), '2:00 h · 1 entry');
    await second.getByRole('cell', { name: 'Loader' }).waitFor();
    await checkPage(page);
    await screenshot(page, '62-approvals-pending', { fullPage: false });
    await checkOnPhone(page, '/approvals', '62-approvals-phone');

    // Rejecting without a comment: the server asks for one, shown at the comment.
    await second.getByRole('button', { name: 'Reject week' }).click();
    await waitForText(second.locator('.field-error'), 'is required to reject');
    assert.equal((await apiGet(page, `/v1/time-entries/${b1.id}`)).approvalState, 'pending');

    await second.getByLabel('Comment').fill('Split the loader work by task, please.');
    await second.getByRole('button', { name: 'Reject week' }).click();
    await second.waitFor({ state: 'detached' });
    await waitForText(person.locator('.panel-head'), '1 week, 2:30 h');

    await first.getByRole('button', { name: 'Approve week' }).click();
    await page.getByText('Nothing waiting for approval').waitFor();
  });

  test('the decisions are recorded with who, when and the comment, and the entries are locked or editable', async () => {
    const history = page.getByRole('region', { name: 'Decisions' });
    const rows = history.getByRole('row');
    await waitForText(rows.nth(1), 'Approved'); // newest first
    await waitForText(rows.nth(1), 'Ada Lovelace');
    await waitForText(rows.nth(2), 'Rejected');
    await waitForText(rows.nth(2), 'Split the loader work by task, please.');
    await waitForText(rows.nth(2), 'Grace Hopper');
    await checkPage(page);
    await screenshot(page, '63-approvals-decided', { fullPage: false });

    const entries = (await apiGet(page, '/v1/time-entries?limit=200')).data;
    const state = (description: string) => entries.find((e: any) => e.description === description);
    assert.deepEqual([state('Parser').approvalState, state('Parser').locked], ['approved', true]);
    assert.deepEqual([state('Linker').approvalState, state('Linker').locked], ['approved', true]);
    assert.deepEqual([state('Loader').approvalState, state('Loader').locked], ['rejected', false]);
    const decisions = (await apiGet(page, '/v1/approvals')).data;
    assert.deepEqual(decisions.map((d: any) => [d.decision, d.entryCount, d.comment]), [['approved', 2, null], ['rejected', 1, 'Split the loader work by task, please.']]);
    const session = await apiGet(page, '/v1/session');
    assert.ok(decisions.every((d: any) => d.approverId === session.user.id));
  });
});
