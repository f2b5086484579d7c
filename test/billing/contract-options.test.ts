/**
 * What a contract may choose about its invoices: project tax rates on every line it bills, a
 * retainer that carries unbilled hourly work, an archived retainer's last overage, customers who
 * want one invoice per contract, and net credits that wait for the next charge instead of making
 * a draft below zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { assertLedgerVerifies, createCustomer, createTaxRate, expectStatus, getInvoice, issueInvoice, recordPayment } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, createProject, logTime } from '../helpers/work.ts';

const api = await createTestApi('2026-06-15T10:00:00Z');

const bill = async (firm: Tenant, date: string) => expectStatus(await firm.request('POST', '/v1/billing-runs', { date }), 200);

/** Each invoice of the run as [lines "description: net [tax %]", tax, total]. */
async function invoicesOf(firm: Tenant, run: any): Promise<Array<[string[], string, string]>> {
  const invoices = await Promise.all(run.invoices.map((i: any) => getInvoice(firm, i.invoiceId)));
  return invoices.map((invoice) => [
    invoice.lines.map((l: any) => `${l.description}: ${l.net}${l.taxes.length ? ` [${l.taxes.map((t: any) => t.percentage).join('+')}%]` : ''}`),
    invoice.taxTotal, invoice.total,
  ]);
}

test('project tax rates: checked when set, shown, and applied to a retainer fee and the hourly work it carries', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const vat = await createTaxRate(firm, '19');
  const reduced = await createTaxRate(firm, '7');
  const customer = await createCustomer(firm, { name: 'Initech' });
  assertProblem(await firm.request('POST', '/v1/projects', { customerId: customer.id, name: 'X', billing: { model: 'hourly' }, taxRateIds: ['txr_nope'] }),
    { status: 422, code: 'tax_rate_not_found', field: 'taxRateIds.0' });
  assertProblem(await firm.request('POST', '/v1/projects', { customerId: customer.id, name: 'X', billing: { model: 'hourly' }, taxRateIds: [vat, vat] }),
    { status: 422, field: 'taxRateIds' });
  const retainer = await createProject(firm, customer.id, {
    name: 'Support', taxRateIds: [vat],
    billing: { model: 'retainer', fee: '1000.00', interval: 'month', includedHours: '10', overageRate: '90', startDate: '2026-05-01', includeUnbilledWork: true },
  });
  assert.deepEqual([retainer.taxRateIds, retainer.billing.includeUnbilledWork], [[vat], true]);
  const hourly = await createProject(firm, customer.id, { name: 'Migration', billing: { model: 'hourly', rate: '100' }, taxRateIds: [reduced] });
  await logTime(bea, hourly.id, 90, '2026-04-20');
  await logTime(bea, hourly.id, 30, '2026-05-05'); // after the May run's date: billed in June
  await logTime(bea, retainer.id, 11 * 60, '2026-05-06'); // 1 h over in May

  assert.deepEqual(await invoicesOf(firm, await bill(firm, '2026-05-01')), [[
    ['Retainer May 2026 (Support): 10 h included: 1000.00 [19%]', 'Migration · General: 2026-04-20: 150.00 [7%]'], '200.50', '1350.50',
  ]]);
  // June: the fee, May's overage (taxed like the retainer), and the work logged since.
  await logTime(bea, hourly.id, 60, '2026-05-20');
  assert.deepEqual(await invoicesOf(firm, await bill(firm, '2026-06-01')), [[
    [
      'Retainer June 2026 (Support): 10 h included: 1000.00 [19%]',
      'Retainer May 2026: 10 h included, 11 h used, 1 h over at 90 per hour: 90.00 [19%]',
      'Migration · General: 2026-05-05, 2026-05-20: 150.00 [7%]',
    ],
    '217.60', '1457.60',
  ]]);
  assert.equal((await bill(firm, '2026-06-15')).invoicesCreated, 0);
});

test('an archived retainer bills the overage of its last period once, and no more fees', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const customer = await createCustomer(firm, { name: 'Hooli' });
  const retainer = await createProject(firm, customer.id, {
    name: 'Care', billing: { model: 'retainer', fee: '500.00', interval: 'month', includedHours: '5', overageRate: '80', startDate: '2026-04-01' },
  });
  assert.equal((await bill(firm, '2026-04-01')).invoicesCreated, 1);
  await logTime(bea, retainer.id, 7 * 60, '2026-04-20');
  expectStatus(await firm.request('PATCH', `/v1/projects/${retainer.id}`, { status: 'archived' }), 200);
  assert.equal((await bill(firm, '2026-04-25')).invoicesCreated, 0); // the period is not over yet
  const final = await bill(firm, '2026-05-01');
  assert.deepEqual(await invoicesOf(firm, final), [[['Retainer April 2026: 5 h included, 7 h used, 2 h over at 80 per hour: 160.00'], '0.00', '160.00']]);
  assert.deepEqual(final.invoices[0].charges.map((c: any) => [c.contractType, c.periodStart]), [['retainer_final', '2026-04-01']]);
  assert.equal((await bill(firm, '2026-06-01')).invoicesCreated, 0);

  // Archived within its allowance: nothing to bill, ever.
  const quiet = await createProject(firm, customer.id, {
    name: 'Quiet', billing: { model: 'retainer', fee: '500.00', interval: 'month', includedHours: '5', overageRate: '80', startDate: '2026-06-01' },
  });
  assert.equal((await bill(firm, '2026-06-01')).invoicesCreated, 1);
  await logTime(bea, quiet.id, 60, '2026-06-02');
  expectStatus(await firm.request('PATCH', `/v1/projects/${quiet.id}`, { status: 'archived' }), 200);
  assert.equal((await bill(firm, '2026-06-15')).invoicesCreated, 0);

  // Brought back from the archive, a retainer resumes today: no fees for the months it was archived.
  const resumed = expectStatus(await firm.request('PATCH', `/v1/projects/${retainer.id}`, { status: 'active' }), 200);
  assert.equal(resumed.billing.startDate, '2026-06-15');
  assert.deepEqual(await invoicesOf(firm, await bill(firm, '2026-06-15')), [[['Retainer 2026-06-15 – 2026-07-14 (Care): 5 h included: 500.00'], '0.00', '500.00']]);
});

test('a taxed deposit is deducted net of tax, in proportion to what is paid of it', async () => {
  const firm = await api.tenant();
  const vat = await createTaxRate(firm, '19');
  const customer = await createCustomer(firm, { name: 'Pied Piper' });
  const project = await createProject(firm, customer.id, { name: 'Build', billing: { model: 'fixed', amount: '3000.00' }, taxRateIds: [vat] });
  expectStatus(await firm.request('POST', `/v1/projects/${project.id}/schedule`, {
    entries: [
      { description: 'Deposit', amount: '1000.00', dueDate: '2026-03-01', deposit: true },
      { description: 'Design', amount: '2000.00', dueDate: '2026-04-01' },
      { description: 'Launch', amount: '1000.00', dueDate: '2026-05-01' },
    ],
  }), 201);
  const deposit = await bill(firm, '2026-03-01');
  assert.deepEqual(await invoicesOf(firm, deposit), [[['Build: Deposit (deposit): 1000.00 [19%]'], '190.00', '1190.00']]);
  await issueInvoice(firm, deposit.invoices[0].invoiceId);
  await recordPayment(firm, customer.id, '595.00', { allocations: [{ invoiceId: deposit.invoices[0].invoiceId, amount: '595.00' }] });
  // Half of the deposit's invoice is paid: half the deposit (500.00 net) is deducted, with its tax.
  assert.deepEqual(await invoicesOf(firm, await bill(firm, '2026-04-01')), [[
    ['Build: Design (instalment): 2000.00 [19%]', 'Less deposit: -500.00 [19%]'], '285.00', '1785.00',
  ]]);
  await recordPayment(firm, customer.id, '595.00', { allocations: [{ invoiceId: deposit.invoices[0].invoiceId, amount: '595.00' }] });
  assert.deepEqual(await invoicesOf(firm, await bill(firm, '2026-05-01')), [[
    ['Build: Launch (instalment): 1000.00 [19%]', 'Less deposit: -500.00 [19%]'], '95.00', '595.00',
  ]]);
});

test('a customer who wants one invoice per contract gets one per subscription and project; others one in all', async () => {
  const firm = await api.tenant();
  const subscribe = (customerId: string, description: string) => firm.request('POST', '/v1/subscriptions', {
    customerId, items: [{ description, unitPrice: '100.00', quantity: '1' }], interval: 'monthly', startDate: '2026-06-01', billingTiming: 'advance',
  });
  const separate = await createCustomer(firm, { name: 'Separate', invoiceGrouping: 'per_contract' });
  const together = await createCustomer(firm, { name: 'Together' });
  assert.deepEqual([separate.invoiceGrouping, together.invoiceGrouping], ['per_contract', 'combined']);
  assertProblem(await firm.request('PATCH', `/v1/customers/${together.id}`, { invoiceGrouping: 'sometimes' }), { status: 400, field: 'invoiceGrouping' });
  for (const customer of [separate, together]) {
    expectStatus(await subscribe(customer.id, 'Hosting'), 201);
    expectStatus(await subscribe(customer.id, 'Backups'), 201);
    await createProject(firm, customer.id, {
      name: 'Care', billing: { model: 'retainer', fee: '300.00', interval: 'month', includedHours: '2', startDate: '2026-06-01' },
    });
  }
  const run = await bill(firm, '2026-06-01');
  const count = (customerId: string) => run.invoices.filter((i: any) => i.customerId === customerId).length;
  assert.deepEqual([count(separate.id), count(together.id)], [3, 1]);
  assert.equal(run.chargesBilled, 6);
});

test('a net credit waits, unclaimed, until the customer has charges to reduce; no draft goes below zero', async () => {
  const firm = await api.tenant();
  api.clock.at = new Date('2026-01-01T10:00:00Z');
  try {
    const customer = await createCustomer(firm, { name: 'Downsizer' });
    const created = expectStatus(await firm.request('POST', '/v1/subscriptions', {
      customerId: customer.id, items: [{ description: 'Team plan', unitPrice: '310.00', quantity: '1' }], interval: 'monthly', startDate: '2026-01-01', billingTiming: 'advance',
    }), 201);
    assert.equal((await bill(firm, '2026-01-01')).invoicesCreated, 1);
    api.clock.at = new Date('2026-01-11T10:00:00Z');
    // Down to 31.00 from 2026-01-11: 21 of 31 days unused, credit 210.00, charge 21.00: net −189.00 with February.
    expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { items: [{ description: 'Solo plan', unitPrice: '31.00', quantity: '1' }], prorate: true }), 200);
    api.clock.at = new Date('2026-06-15T10:00:00Z');
    for (const date of ['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01']) {
      const run = await bill(firm, date);
      if (date < '2026-06-01') {
        // February: 31 − 189 < 0; March: 62 − 189; ... May: 124 − 189: held, every charge of it still due.
        assert.equal(run.invoicesCreated, 0, date);
        assert.ok(run.skipped.length >= 2 && run.skipped.every((s: any) => s.reason === 'net_credit'), date);
      } else {
        // June: five months of 31.00 = 155.00, less 189.00 ... still below zero; so nothing yet either.
        assert.equal(run.invoicesCreated, 0);
      }
    }
    // A one-off charge on a fixed-price project lifts the total above zero: everything is billed at once.
    const project = await createProject(firm, customer.id, { name: 'Setup', billing: { model: 'fixed', amount: '100.00' } });
    expectStatus(await firm.request('POST', `/v1/projects/${project.id}/schedule`, { entries: [{ description: 'Onboarding', amount: '100.00', dueDate: '2026-06-10' }] }), 201);
    const run = await bill(firm, '2026-06-15');
    assert.equal(run.invoicesCreated, 1);
    const [lines, , total] = (await invoicesOf(firm, run))[0]!;
    assert.equal(total, '66.00'); // 5 × 31.00 + 100.00 − 210.00 + 21.00
    assert.equal(lines.length, 8);
    assert.equal((await bill(firm, '2026-06-15')).invoicesCreated, 0);
  } finally {
    api.clock.at = new Date('2026-06-15T10:00:00Z');
  }
});

test('a run carrying unbilled work leaves out what would take a project past its not-to-exceed amount, and says so', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const customer = await createCustomer(firm, { name: 'Capped' });
  expectStatus(await firm.request('POST', '/v1/subscriptions', {
    customerId: customer.id, items: [{ description: 'Hosting', unitPrice: '50.00', quantity: '1' }], interval: 'monthly', startDate: '2026-06-01',
    billingTiming: 'advance', includeUnbilledWork: true,
  }), 201);
  const capped = await createProject(firm, customer.id, { name: 'Audit', billing: { model: 'hourly', rate: '100', notToExceed: '150.00' } });
  const open = await createProject(firm, customer.id, { name: 'Support', billing: { model: 'hourly', rate: '80' } });
  await logTime(bea, capped.id, 120, '2026-05-28'); // 200.00, over the 150.00 cap
  await logTime(bea, open.id, 60, '2026-05-28');
  const run = await bill(firm, '2026-06-01');
  assert.deepEqual((await invoicesOf(firm, run))[0]![0], ['Hosting: 50.00', 'Support · General: 2026-05-28: 80.00']);
  assert.deepEqual(run.heldWork.map((h: any) => [h.customerId, h.projectId, h.code]), [[customer.id, capped.id, 'not_to_exceed_exceeded']]);
  // The held work is still unbilled, for a person to bill past the cap.
  const [unbilled] = expectStatus(await firm.request('GET', `/v1/unbilled?customerId=${customer.id}`), 200).data;
  assert.deepEqual(unbilled.lines.map((l: any) => l.amount), ['200.00']);
});

test('a net credit of a subscription that ends with it is credited on its last issued invoice, once', async () => {
  const firm = await api.tenant();
  api.clock.at = new Date('2026-01-01T10:00:00Z');
  try {
    const customer = await createCustomer(firm, { name: 'Leaver' });
    const created = expectStatus(await firm.request('POST', '/v1/subscriptions', {
      customerId: customer.id, items: [{ description: 'Team plan', unitPrice: '310.00', quantity: '1' }], interval: 'monthly', startDate: '2026-01-01', billingTiming: 'advance',
    }), 201);
    const january = await bill(firm, '2026-01-01');
    const issued = await issueInvoice(firm, january.invoices[0].invoiceId);
    api.clock.at = new Date('2026-01-11T10:00:00Z');
    expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { items: [{ description: 'Solo plan', unitPrice: '31.00', quantity: '1' }], prorate: true }), 200);
    expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, { atPeriodEnd: true }), 200);
    api.clock.at = new Date('2026-02-01T10:00:00Z');
    const preview = expectStatus(await firm.request('POST', '/v1/billing-runs', { date: '2026-02-01', dryRun: true }), 200);
    assert.deepEqual(preview.credits.map((c: any) => [c.invoiceId, c.creditNoteId, c.total]), [[issued.id, null, '189.00']]);
    const run = await bill(firm, '2026-02-01');
    assert.equal(run.invoicesCreated, 0);
    assert.deepEqual(run.skipped, []);
    const [credit] = run.credits;
    assert.deepEqual([credit.invoiceId, credit.total, credit.charges.map((c: any) => c.contractType)], [issued.id, '189.00', ['subscription_change']]);
    const note = expectStatus(await firm.request('GET', `/v1/credit-notes/${credit.creditNoteId}`), 200);
    assert.deepEqual([note.invoiceId, note.total, note.lines.length], [issued.id, '189.00', 2]); // 210.00 unused, less 21.00 for the rest of January
    assert.equal((await getInvoice(firm, issued.id)).amountDue, '121.00');
    assert.equal((await bill(firm, '2026-02-01')).credits.length, 0, 'credited once');
    await assertLedgerVerifies(firm);
  } finally {
    api.clock.at = new Date('2026-06-15T10:00:00Z');
  }
});

test('a net credit that carries unbilled work waits instead of being credited, and the work stays unbilled', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  api.clock.at = new Date('2026-01-01T10:00:00Z');
  try {
    const customer = await createCustomer(firm, { name: 'Leaver with work' });
    const created = expectStatus(await firm.request('POST', '/v1/subscriptions', {
      customerId: customer.id, items: [{ description: 'Team plan', unitPrice: '310.00', quantity: '1' }], interval: 'monthly', startDate: '2026-01-01',
      billingTiming: 'advance', includeUnbilledWork: true,
    }), 201);
    await issueInvoice(firm, (await bill(firm, '2026-01-01')).invoices[0].invoiceId);
    const project = await createProject(firm, customer.id, { name: 'Support', billing: { model: 'hourly', rate: '50' } });
    await logTime(bea, project.id, 60, '2026-01-05');
    api.clock.at = new Date('2026-01-11T10:00:00Z');
    expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { items: [{ description: 'Solo plan', unitPrice: '31.00', quantity: '1' }], prorate: true }), 200);
    expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, { atPeriodEnd: true }), 200);
    api.clock.at = new Date('2026-02-01T10:00:00Z');
    const run = await bill(firm, '2026-02-01'); // −189.00 + 50.00 of work: still a credit
    assert.deepEqual([run.invoicesCreated, run.credits.length, run.skipped.map((s: any) => s.reason)], [0, 0, ['net_credit']]);
    const [unbilled] = expectStatus(await firm.request('GET', `/v1/unbilled?customerId=${customer.id}`), 200).data;
    assert.equal(unbilled.total, '50.00');
  } finally {
    api.clock.at = new Date('2026-06-15T10:00:00Z');
  }
});
