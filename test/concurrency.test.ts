/**
 * Races over real HTTP: the app listens on a loopback port and every request is a separate
 * fetch, so handlers really run at the same time on separate connections of a 20-connection
 * pool. What must hold however the requests interleave: invoice and credit-note numbers are
 * gapless, a draft is issued once, and no invoice is settled or credited beyond its total.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/http/app.ts';
import { createOrganization } from '../src/modules/setup/index.ts';
import { createPool } from '../src/shared/db.ts';
import { createTestDatabase } from './helpers/test-db.ts';

const db = await createTestDatabase();
const pool = createPool(db.connectionString, 20);
const clock = { at: new Date('2026-03-15T10:00:00Z'), now() { return this.at; } };
const app = await buildApp({ pool, clock });

// How many requests the server is handling at once: proof that the races below really race.
// During a race, each request waits at a barrier until all of them have arrived (or 2 s passed),
// so a slow, busy machine cannot serialize them by accident.
let inFlight = 0;
let maxInFlight = 0;
let barrier: { expected: number; arrived: number; open: Promise<void>; release: () => void } | null = null;
app.addHook('onRequest', async () => {
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  if (!barrier) return;
  if (++barrier.arrived >= barrier.expected) barrier.release();
  await Promise.race([barrier.open, new Promise((resolve) => setTimeout(resolve, 2000))]);
});
app.addHook('onResponse', async () => {
  inFlight--;
});

await app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

after(async () => {
  await app.close();
  await pool.end();
  await db.drop();
});

type Response = { status: number; body: any };
type Tenant = { organizationId: string; request(method: string, url: string, body?: unknown): Promise<Response> };

/** A fresh organization per test, so each starts its number series at 0001. */
async function tenant(): Promise<Tenant> {
  const created = await createOrganization(pool, { legalName: 'Race Firm', baseCurrency: 'EUR', ownerEmail: 'owner@race.example', timeZone: 'Europe/Berlin' });
  return {
    organizationId: created.organizationId,
    async request(method, url, body) {
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${created.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

async function ok(response: Promise<Response>, status = 201): Promise<any> {
  const { status: actual, body } = await response;
  assert.equal(actual, status, JSON.stringify(body));
  return body;
}

async function customer(firm: Tenant): Promise<string> {
  return (await ok(firm.request('POST', '/v1/customers', { name: 'Initech', currency: 'EUR' }))).id;
}

async function draft(firm: Tenant, customerId: string, lines: unknown[]): Promise<any> {
  return ok(firm.request('POST', '/v1/invoices', { customerId, lines }));
}

async function issued(firm: Tenant, customerId: string, lines: unknown[]): Promise<any> {
  const invoice = await draft(firm, customerId, lines);
  return ok(firm.request('POST', `/v1/invoices/${invoice.id}/issue`), 200);
}

/** Starts every request before awaiting any: they reach the server together. */
async function race(count: number, send: (index: number) => Promise<Response>): Promise<Response[]> {
  maxInFlight = 0;
  let release = () => {};
  const open = new Promise<void>((resolve) => { release = resolve; });
  barrier = { expected: count, arrived: 0, open, release };
  const responses = await Promise.all(Array.from({ length: count }, (_, index) => send(index))).finally(() => { barrier = null; });
  assert.ok(maxInFlight > 1, `the requests did not overlap (at most ${maxInFlight} in flight)`);
  return responses;
}

function statuses(responses: Response[]): number[] {
  return responses.map((response) => response.status).sort((a, b) => a - b);
}

async function assertLedgerVerifies(firm: Tenant): Promise<void> {
  const verify = await ok(firm.request('GET', '/v1/ledger/verify'), 200);
  assert.equal(verify.ok, true, JSON.stringify(verify.checks));
}

function sequence(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
}

const cents = (amount: string) => BigInt(amount.replace('.', ''));

test('50 concurrent issues of 50 drafts take exactly INV-2026-0001..0050, without a gap', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  const drafts = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    draft(firm, customerId, [{ description: `Sprint ${i + 1}`, quantity: '1', unitPrice: `${100 + i}.00` }])));

  const responses = await race(50, (i) => firm.request('POST', `/v1/invoices/${drafts[i].id}/issue`));

  for (const response of responses) assert.equal(response.status, 200, JSON.stringify(response.body));
  const numbers = responses.map((response) => response.body.number as string);
  assert.equal(new Set(numbers).size, 50, 'numbers are distinct');
  assert.deepEqual([...numbers].sort(), sequence('INV-2026-', 50));
  // Each response is the invoice it was asked for, and the stored invoice has the number it was told.
  for (const [i, response] of responses.entries()) {
    assert.equal(response.body.id, drafts[i].id);
    const stored = await ok(firm.request('GET', `/v1/invoices/${drafts[i].id}`), 200);
    assert.equal(stored.number, response.body.number);
    assert.equal(stored.status, 'open');
  }
  assert.ok(pool.totalCount > 1, 'the pool opened more than one connection');
  await assertLedgerVerifies(firm);
});

test('two concurrent issues of the same draft: one 200, one 409, and the 409 takes no number', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  const rounds = 10;
  const numbers: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const invoice = await draft(firm, customerId, [{ description: 'Audit', quantity: '2', unitPrice: '450.00' }]);
    const responses = await race(2, () => firm.request('POST', `/v1/invoices/${invoice.id}/issue`));
    assert.deepEqual(statuses(responses), [200, 409], JSON.stringify(responses.map((r) => r.body)));
    const winner = responses.find((response) => response.status === 200)!;
    const loser = responses.find((response) => response.status === 409)!;
    assert.equal(loser.body.code, 'invoice_already_issued');
    numbers.push(winner.body.number);
  }
  assert.deepEqual(numbers.sort(), sequence('INV-2026-', rounds));
  const { rows } = await pool.query(
    `select count(*)::int as entries from journal_entries where organization_id = $1 and source_type = 'invoice'`,
    [firm.organizationId],
  );
  assert.equal(rows[0].entries, rounds, 'one ledger posting per issued invoice');
  await assertLedgerVerifies(firm);
});

test('concurrent payments allocated to the same invoice never settle more than its total', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  const invoice = await issued(firm, customerId, [{ description: 'Retainer', quantity: '1', unitPrice: '100.00' }]);

  const responses = await race(10, (i) => firm.request('POST', '/v1/payments', {
    customerId, amount: '30.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer', reference: `race-${i}`,
    allocations: [{ invoiceId: invoice.id, amount: '30.00' }],
  }));

  // 3 × 30.00 fit into 100.00; a fourth would not, whichever order the locks were taken in.
  assert.deepEqual(statuses(responses), [201, 201, 201, 422, 422, 422, 422, 422, 422, 422]);
  for (const loser of responses.filter((response) => response.status !== 201)) assert.equal(loser.body.code, 'allocation_exceeds_balance');
  const after = await ok(firm.request('GET', `/v1/invoices/${invoice.id}`), 200);
  assert.equal(after.amountPaid, '90.00');
  assert.equal(after.amountDue, '10.00');
  assert.ok(cents(after.amountPaid) + cents(after.amountCredited) <= cents(after.total));
  // The refused payments left nothing behind: no payment row, no settlement, no ledger entry.
  const payments = await ok(firm.request('GET', `/v1/payments?customerId=${customerId}`), 200);
  assert.equal(payments.data.length, 3);
  const { rows } = await pool.query(
    `select (select count(*) from settlements where organization_id = $1)::int as settlements,
            (select count(*) from journal_entries where organization_id = $1 and source_type = 'payment')::int as entries`,
    [firm.organizationId],
  );
  assert.deepEqual(rows[0], { settlements: 3, entries: 3 });
  await assertLedgerVerifies(firm);
});

test('concurrent unallocated payments settle oldest first and turn the rest into credit, never over-settling', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  const first = await issued(firm, customerId, [{ description: 'March', quantity: '1', unitPrice: '100.00' }]);
  const second = await issued(firm, customerId, [{ description: 'April', quantity: '1', unitPrice: '50.00' }]);

  const responses = await race(10, () => firm.request('POST', '/v1/payments', {
    customerId, amount: '30.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer',
  }));

  assert.deepEqual(statuses(responses), Array(10).fill(201));
  for (const invoice of [first, second]) {
    const after = await ok(firm.request('GET', `/v1/invoices/${invoice.id}`), 200);
    assert.equal(after.amountDue, '0.00');
    assert.equal(after.amountPaid, after.total);
    assert.equal(after.status, 'paid');
  }
  const balance = await ok(firm.request('GET', `/v1/customers/${customerId}`), 200);
  assert.equal(balance.balance, '0.00');
  assert.equal(balance.creditBalance, '150.00'); // 300.00 received, 150.00 owed
  await assertLedgerVerifies(firm);
});

test('concurrent credit notes by amount never credit beyond the invoice total, and their numbers stay gapless', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  const vat = await ok(firm.request('POST', '/v1/tax-rates', { name: 'VAT 19%', percentage: '19', category: 'S' }));
  const invoice = await issued(firm, customerId, [{ description: 'Design', quantity: '1', unitPrice: '84.03', taxRateIds: [vat.id] }]);
  assert.equal(invoice.total, '100.00');

  const responses = await race(10, () => firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '30.00' }));

  assert.deepEqual(statuses(responses), [201, 201, 201, 422, 422, 422, 422, 422, 422, 422]);
  for (const loser of responses.filter((response) => response.status !== 201)) assert.equal(loser.body.code, 'credit_exceeds_invoice');
  const notes = responses.filter((response) => response.status === 201).map((response) => response.body);
  assert.deepEqual(notes.map((note) => note.number).sort(), sequence('CN-2026-', 3));
  const credited = notes.reduce((sum, note) => sum + cents(note.total), 0n);
  assert.equal(credited, 9000n);
  const after = await ok(firm.request('GET', `/v1/invoices/${invoice.id}`), 200);
  assert.equal(after.amountCredited, '90.00');
  assert.equal(after.amountDue, '10.00');
  await assertLedgerVerifies(firm);
});

test('concurrent credit notes by line never credit more of a line than it billed', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  const invoice = await issued(firm, customerId, [
    { description: 'Hours', quantity: '10', unitPrice: '10.00' },
    { description: 'Licence', quantity: '1', unitPrice: '25.00' },
  ]);
  const [hours, licence] = invoice.lines;

  // Three hours each: three of eight fit into ten hours.
  const byQuantity = await race(8, () => firm.request('POST', '/v1/credit-notes', {
    invoiceId: invoice.id, lines: [{ invoiceLineId: hours.id, quantity: '3' }],
  }));
  assert.deepEqual(statuses(byQuantity), [201, 201, 201, 422, 422, 422, 422, 422]);
  // The whole line: only one of five gets it.
  const whole = await race(5, () => firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, lines: [{ invoiceLineId: licence.id }] }));
  assert.deepEqual(statuses(whole), [201, 422, 422, 422, 422]);

  const notes = await ok(firm.request('GET', `/v1/credit-notes?invoiceId=${invoice.id}`), 200);
  assert.equal(notes.data.length, 4);
  const credited = notes.data.reduce((sum: bigint, note: any) => sum + cents(note.total), 0n);
  assert.equal(credited, 11500n); // 9 hours and the licence
  assert.ok(credited <= cents(invoice.total));
  await assertLedgerVerifies(firm);
});

test('payments, credit notes and applied credit racing on one invoice never settle it beyond its total', async () => {
  const firm = await tenant();
  const customerId = await customer(firm);
  for (let round = 0; round < 3; round++) {
    // Customer credit to apply: an overpayment while nothing is open.
    await ok(firm.request('POST', '/v1/payments', { customerId, amount: '100.00', currency: 'EUR', date: '2026-03-14', method: 'bank_transfer' }));
    const invoice = await issued(firm, customerId, [{ description: `Support ${round}`, quantity: '1', unitPrice: '100.00' }]);

    // Each of the three alone would settle the whole invoice.
    const responses = await race(6, (i) => {
      if (i % 3 === 0) {
        return firm.request('POST', '/v1/payments', {
          customerId, amount: '100.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer',
          allocations: [{ invoiceId: invoice.id, amount: '100.00' }],
        });
      }
      if (i % 3 === 1) return firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '100.00' });
      return firm.request('POST', `/v1/customers/${customerId}/apply-credit`, { invoiceId: invoice.id });
    });

    for (const response of responses) assert.ok(response.status < 500, JSON.stringify(response.body));
    const after = await ok(firm.request('GET', `/v1/invoices/${invoice.id}`), 200);
    assert.equal(cents(after.amountPaid) + cents(after.amountCredited), 10000n, `round ${round}: settled exactly once: ${JSON.stringify(after)}`);
    assert.equal(after.amountDue, '0.00');
    const { rows } = await pool.query(`select coalesce(sum(amount_minor), 0)::int as settled from settlements where invoice_id = $1`, [invoice.id]);
    assert.equal(rows[0].settled, 10000, `round ${round}: settlements of the invoice`);
    await assertLedgerVerifies(firm);
  }
});

/** Waits until `count` backends of this database wait for a lock. */
async function waitForLockWaiters(count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await pool.query(`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if (rows[0].waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`${count} requests never queued for a lock`);
}

test('a credit note and a payment for the same customer do not deadlock', async () => {
  // The interleaving is forced: a third transaction holds the credit-note number counter, so the
  // credit note stops after locking the invoice; the payment then locks the customer and queues
  // for the invoice. When the counter is released, the credit note inserts its row, whose foreign
  // key needs a KEY SHARE lock on the customer that the payment holds FOR UPDATE: each waits for
  // the other. PostgreSQL breaks the cycle after deadlock_timeout and inTransaction retries, so
  // the results are right, but both requests stall for deadlock_timeout (and under load a request
  // can run out of retries and fail with a 500).
  const firm = await tenant();
  const customerId = await customer(firm);
  const invoice = await issued(firm, customerId, [{ description: 'Migration', quantity: '1', unitPrice: '100.00' }]);
  await ok(firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '1.00' })); // the counter row exists now

  const blocker = await pool.connect();
  try {
    await blocker.query('begin');
    await blocker.query(
      `select 1 from number_counters c join number_series s on s.id = c.series_id
       where s.organization_id = $1 and s.document_type = 'credit_note' for update of c`,
      [firm.organizationId],
    );
    const creditNote = firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '30.00' });
    await waitForLockWaiters(1);
    const payment = firm.request('POST', '/v1/payments', {
      customerId, amount: '50.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer',
      allocations: [{ invoiceId: invoice.id, amount: '50.00' }],
    });
    await waitForLockWaiters(2);
    const released = performance.now();
    await blocker.query('commit');
    const [credited, paid] = await Promise.all([creditNote, payment]);
    const stalledMs = performance.now() - released;

    assert.equal(credited.status, 201, JSON.stringify(credited.body));
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    const { rows } = await pool.query(`select setting from pg_settings where name = 'deadlock_timeout'`);
    assert.ok(stalledMs < 500, `the two requests took ${Math.round(stalledMs)} ms after the counter was released: ` +
      `a lock-order deadlock (invoice FOR UPDATE → customer KEY SHARE against customer FOR UPDATE → invoice), ` +
      `broken after deadlock_timeout = ${rows[0].setting} ms and retried`);
  } finally {
    await blocker.query('rollback').catch(() => {});
    blocker.release();
  }
  await assertLedgerVerifies(firm);
});
