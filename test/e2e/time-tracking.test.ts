/**
 * Time tracking in Chromium: a project is created in the browser, the timer runs on every page
 * (sidebar on laptops, top bar on phones) and stopping it records time; time is added in the
 * week view; unbilled work is priced by the server and becomes a draft invoice.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, apiGet, checkPage, euro, organizationWithOwner, screenshot, startWebApp, waitForText } from '../helpers/browser.ts';

const web = await startWebApp();
const { api, signIn } = await organizationWithOwner(web, 'Lovelace Works', { name: 'Ada Lovelace', email: 'ada@lovelace-works.example', password: 'analytical engine 1843' });

const customer = await api('POST', '/v1/customers', { name: 'Babbage & Co', email: 'ap@babbage.example', currency: 'EUR' });

describe('time tracking: project, timer, week view, unbilled work to an invoice', { timeout: 60_000 }, () => {
  let page: Page;
  let projectId = '';

  test('creating an hourly project with a task', async () => {
    page = await web.newPage();
    await signIn(page, '/projects');
    await page.getByText('No projects yet — create your first').waitFor();
    await page.getByRole('main').getByRole('link', { name: 'New project' }).first().click();
    await page.getByLabel('Customer').selectOption(customer.id);
    await page.getByLabel('Name', { exact: true }).fill('Difference Engine');
    await page.getByLabel('Hourly', { exact: false }).first().check();
    await page.getByLabel('Hourly rate').fill('120');
    await checkPage(page);
    await screenshot(page, '30-project-new', { fullPage: false });
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Difference Engine' }).waitFor();
    projectId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByLabel('New task').fill('Design');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('rowheader', { name: 'Design' }).waitFor();
    const project = await apiGet(page, `/v1/projects/${projectId}`);
    assert.deepEqual([project.billing.model, project.billing.rate], ['hourly', '120']);
    await screenshot(page, '31-project-detail', { fullPage: false });
  });

  test('the timer starts from the sidebar, runs on other pages, and stopping it records the time', async () => {
    const sidebar = page.locator('#sidebar');
    await sidebar.getByRole('button', { name: 'Start timer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Project').selectOption(projectId);
    await dialog.getByLabel('Task').selectOption({ label: 'Design' });
    await dialog.getByLabel('Description').fill('Gear layout');
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForText(sidebar.getByTestId('timer-project-sidebar'), 'Difference Engine');

    // Another page: the timer is still there, and ticking.
    await sidebar.getByRole('link', { name: 'Invoices' }).click();
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    const elapsed = sidebar.getByTestId('timer-elapsed-sidebar');
    const first = await waitForText(elapsed, /^0:00:\d\d$/);
    await waitForText(elapsed, new RegExp(`^0:00:(?!${first.slice(-2)})\\d\\d$`), 3000);
    const running = await apiGet(page, '/v1/timer');
    assert.equal(running.timer.projectId, projectId);
    await screenshot(page, '32-timer-running-invoices', { fullPage: false });

    // On a phone, the top bar shows it.
    const phone = await page.context().browser()!.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'Europe/Berlin', storageState: await page.context().storageState() });
    const phonePage = await phone.newPage();
    await phonePage.goto(web.url('/customers'));
    await waitForText(phonePage.locator('.topbar').getByTestId('timer-project-topbar'), 'Difference Engine');
    await checkPage(phonePage);
    await screenshot(phonePage, '33-timer-phone-topbar', { fullPage: false });
    await phonePage.goto(web.url('/time'));
    await phonePage.getByLabel('Add time').getByLabel('Project').waitFor();
    await checkPage(phonePage);
    await screenshot(phonePage, '33-time-phone');
    await phone.close();

    await sidebar.getByRole('button', { name: 'Stop timer on Difference Engine' }).click();
    await sidebar.getByRole('button', { name: 'Start timer' }).waitFor();
    assert.equal((await apiGet(page, '/v1/timer')).timer, null);
    const entries = (await apiGet(page, `/v1/time-entries?projectId=${projectId}`)).data;
    assert.equal(entries.length, 1);
    assert.equal(entries[0].description, 'Gear layout');
    assert.equal(entries[0].minutes, 1);
  });

  test('entering 1:30 for a day in the week view updates the day and week totals', async () => {
    await page.locator('#sidebar').getByRole('link', { name: 'Time' }).click();
    await page.getByTestId('week-table').waitFor();
    const week = await apiGet(page, '/v1/time-entries/week');
    const day = week.days[2].date; // Wednesday of this week
    await page.getByLabel('Project').selectOption(projectId);
    await page.getByLabel('Day').selectOption(day);
    await page.getByLabel('Time', { exact: true }).fill('1:3x');
    await page.getByRole('button', { name: 'Add time' }).click();
    await waitForText(page.locator('.field-error'), 'Enter minutes');
    await page.getByLabel('Time', { exact: true }).fill('1:30');
    await page.getByLabel('Description').fill('Punch cards');
    await page.getByRole('button', { name: 'Add time' }).click();
    const hm = (minutes: number) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
    await waitForText(page.getByTestId(`day-total-${day}`), hm(week.days[2].minutes + 90));
    await waitForText(page.getByTestId('week-total'), hm(week.totalMinutes + 90));
    assert.equal(week.totalMinutes, 1); // the timer's minute, today
    await checkPage(page);
    await screenshot(page, '34-week-view', { fullPage: false });

    await page.getByRole('button', { name: 'Previous week' }).click();
    await page.getByText('No time this week').waitFor();
    await page.getByRole('button', { name: 'This week' }).click();
    await page.getByTestId('week-table').waitFor();
  });

  test('recording a billable expense', async () => {
    await page.locator('#sidebar').getByRole('link', { name: 'Expenses' }).click();
    await page.getByText('No expenses yet').waitFor();
    await page.getByLabel('Project').selectOption(projectId);
    await page.getByLabel('Amount').fill('45.50');
    await page.getByLabel('Category').fill('Brass gears');
    await page.getByRole('button', { name: 'Record expense' }).click();
    await page.getByRole('rowheader', { name: /Brass gears/ }).waitFor();
    await waitForText(page.getByRole('row', { name: /Brass gears/ }), euro('45.50'));
    await checkPage(page);
    await screenshot(page, '35-expenses', { fullPage: false });
  });

  test('unbilled work shows the server’s amounts and becomes a draft invoice', async () => {
    await page.locator('#sidebar').getByRole('link', { name: 'Unbilled work' }).click();
    const unbilled = (await apiGet(page, '/v1/unbilled')).data;
    assert.equal(unbilled.length, 1);
    const section = page.getByRole('region', { name: 'Babbage & Co' });
    await waitForText(section.locator('.unbilled-total'), euro(unbilled[0].total));
    // 91 minutes at 120.00 an hour, and the expense.
    assert.equal(unbilled[0].timeTotal, '182.00');
    assert.equal(unbilled[0].total, '227.50');
    await checkPage(page);
    await screenshot(page, '36-unbilled', { fullPage: false });

    await section.getByRole('button', { name: 'Create invoice for Babbage & Co' }).click();
    await page.waitForURL(/\/invoices\/inv_/);
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    const invoiceId = new URL(page.url()).pathname.split('/').pop()!;
    const invoice = await apiGet(page, `/v1/invoices/${invoiceId}`);
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.subtotal, '227.50');
    await screenshot(page, '37-invoice-from-unbilled', { fullPage: false });

    await page.locator('#sidebar').getByRole('link', { name: 'Unbilled work' }).click();
    await page.getByText('Nothing left to bill').waitFor();
  });
});
