/**
 * People in the API: first-run setup, sign-in with e-mail and password, server-side sessions in an
 * HttpOnly cookie with a CSRF token for changes, invitations, the sign-in throttle, and tenant
 * isolation for cookies. Also the web app's static serving. The order matters: setup must run
 * while the database has no organization.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/http/app.ts';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { createTestApi, type ApiResponse } from '../helpers/api.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi('2026-03-15T10:00:00Z');
const START = api.clock.at;
const DAY = 24 * 60 * 60 * 1000;

type Cookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; path?: string; secure?: boolean; maxAge?: number; expires?: Date };
type Response = ApiResponse & { cookies: Cookie[] };
type Options = { body?: unknown; session?: Session | string; csrf?: string | false; headers?: Record<string, string> };

/** What a browser holds after signing in: the cookie's token and the CSRF token from the body. */
type Session = { token: string; csrfToken: string; body: any };

async function send(method: string, url: string, options: Options = {}): Promise<Response> {
  const { body, session, csrf, headers = {} } = options;
  const token = typeof session === 'string' ? session : session?.token;
  const csrfToken = csrf === false ? undefined : csrf ?? (typeof session === 'object' ? session.csrfToken : undefined);
  const response = await api.app.inject({
    method: method as 'GET', url,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { cookie: `accrue_session=${token}` } : {}),
      ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : null, headers: response.headers, cookies: response.cookies as Cookie[] };
}

function sessionCookie(response: Response): Cookie | undefined {
  return response.cookies.find((cookie) => cookie.name === 'accrue_session');
}

/** The session a sign-in, setup or acceptance answered with. */
function sessionFrom(response: Response, status = 200): Session {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const cookie = sessionCookie(response);
  assert.ok(cookie, 'a session cookie is set');
  return { token: cookie.value, csrfToken: response.body.csrfToken, body: response.body };
}

async function signIn(email: string, password: string): Promise<Session> {
  return sessionFrom(await send('POST', '/v1/session', { body: { email, password } }));
}

const OWNER = { email: 'Ada@Lovelace-Consulting.test', password: 'correct horse battery' };
let owner: Session;

test('first run: setup is needed, creates the organization and signs the owner in, and is refused afterwards', async () => {
  assert.deepEqual((await send('GET', '/v1/setup')).body, { needsSetup: true });
  const setup = {
    organizationName: 'Lovelace Consulting', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-AT',
    name: 'Ada Lovelace', email: OWNER.email, password: OWNER.password,
  };

  assertProblem(await send('POST', '/v1/setup', { body: { ...setup, password: 'too short' } }), { status: 422, code: 'password_too_short', field: 'password' });
  assertProblem(await send('POST', '/v1/setup', { body: { ...setup, timeZone: 'Mars/Olympus' } }), { status: 422, field: 'timeZone' });
  assertProblem(await send('POST', '/v1/setup', { body: { ...setup, organizationName: '   ' } }), { status: 400, field: 'organizationName' });
  assertProblem(await send('POST', '/v1/setup', { body: { ...setup, email: 'not an address' } }), { status: 422, field: 'email' });
  assert.deepEqual((await send('GET', '/v1/setup')).body, { needsSetup: true }, 'refused setups leave nothing behind');

  const created = await send('POST', '/v1/setup', { body: setup });
  owner = sessionFrom(created, 201);
  assert.equal(owner.body.user.email, 'ada@lovelace-consulting.test');
  assert.equal(owner.body.user.name, 'Ada Lovelace');
  assert.equal(owner.body.user.role, 'owner');
  assert.match(owner.body.user.id, /^usr_/);
  assert.deepEqual(
    { ...owner.body.organization, id: undefined },
    { id: undefined, legalName: 'Lovelace Consulting', baseCurrency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-AT' },
  );
  assert.match(owner.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  const cookie = sessionCookie(created)!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.secure, undefined, 'no Secure flag over plain http');
  assert.equal(cookie.maxAge, 30 * 24 * 60 * 60);

  assert.deepEqual((await send('GET', '/v1/setup')).body, { needsSetup: false });
  assertProblem(await send('POST', '/v1/setup', { body: { ...setup, email: 'second@example.test' } }), { status: 409, code: 'already_set_up' });

  const { rows: [user] } = await api.db.pool.query(`select password_hash from users where id = $1`, [owner.body.user.id]);
  assert.match(user.password_hash, /^\$argon2id\$/, 'the password is stored as an argon2id hash');
  const { rows: sessions } = await api.db.pool.query(`select id from sessions where user_id = $1`, [owner.body.user.id]);
  assert.deepEqual(sessions.map((row) => row.id.toString('hex')), [createHash('sha256').update(owner.token).digest('hex')], 'only the SHA-256 of the token is stored');
});

test('signing in: a wrong password and an unknown address get the same 401; the right one sets a session cookie', async () => {
  const wrongPassword = await send('POST', '/v1/session', { body: { email: OWNER.email, password: 'wrong password!' } });
  const unknownUser = await send('POST', '/v1/session', { body: { email: 'nobody@lovelace-consulting.test', password: OWNER.password } });
  assertProblem(wrongPassword, { status: 401, code: 'invalid_credentials' });
  assertProblem(unknownUser, { status: 401, code: 'invalid_credentials' });
  assert.deepEqual(wrongPassword.body, unknownUser.body, 'nothing tells which of the two was wrong');
  assert.equal(sessionCookie(wrongPassword), undefined);
  assertProblem(await send('POST', '/v1/session', { body: { email: OWNER.email } }), { status: 400, field: 'password' });

  const session = await signIn(OWNER.email.toUpperCase(), OWNER.password); // addresses compare without case
  assert.notEqual(session.token, owner.token, 'every sign-in gets a new token');
  assert.notEqual(session.csrfToken, owner.csrfToken);
  assert.equal(session.body.user.id, owner.body.user.id);

  const current = await send('GET', '/v1/session', { session });
  assert.equal(current.status, 200);
  assert.deepEqual(current.body, session.body, 'GET /v1/session answers like the sign-in, CSRF token included');

  const behindProxy = await send('POST', '/v1/session', { body: OWNER, headers: { 'x-forwarded-proto': 'https' } });
  assert.equal(sessionCookie(behindProxy)?.secure, true, 'Secure when the browser used https');
});

test('signing out deletes the session on the server and clears the cookie', async () => {
  const session = await signIn(OWNER.email, OWNER.password);
  assertProblem(await send('DELETE', '/v1/session', { session, csrf: false }), { status: 403, code: 'csrf_token_invalid' });
  const signedOut = await send('DELETE', '/v1/session', { session });
  assert.equal(signedOut.status, 204);
  const cleared = sessionCookie(signedOut);
  assert.ok(cleared && cleared.value === '' && (cleared.maxAge === 0 || cleared.expires!.getTime() < Date.now()), JSON.stringify(cleared));
  assertProblem(await send('GET', '/v1/session', { session }), { status: 401, code: 'unauthorized' });
  const { rows } = await api.db.pool.query(`select 1 from sessions where id = $1`, [createHash('sha256').update(session.token).digest()]);
  assert.equal(rows.length, 0);
  assert.equal((await send('GET', '/v1/session', { session: owner })).status, 200, 'other sessions of the same person stay');
});

test('a session cookie authenticates the API; a change needs the X-CSRF-Token of that session', async () => {
  assertProblem(await send('GET', '/v1/customers'), { status: 401, code: 'unauthorized' });
  assertProblem(await send('GET', '/v1/customers', { session: 'not-a-real-token' }), { status: 401, code: 'unauthorized' });
  assert.equal((await send('GET', '/v1/customers', { session: owner })).status, 200);

  const customer = { name: 'Globex', currency: 'EUR' };
  assertProblem(await send('POST', '/v1/customers', { session: owner, csrf: false, body: customer }), { status: 403, code: 'csrf_token_invalid' });
  assertProblem(await send('POST', '/v1/customers', { session: owner, csrf: 'x'.repeat(43), body: customer }), { status: 403, code: 'csrf_token_invalid' });
  const other = await signIn(OWNER.email, OWNER.password);
  assertProblem(await send('POST', '/v1/customers', { session: owner, csrf: other.csrfToken, body: customer }), { status: 403, code: 'csrf_token_invalid' });
  assert.equal((await send('GET', '/v1/customers', { session: owner })).body.data.length, 0, 'refused changes change nothing');

  const created = await send('POST', '/v1/customers', { session: owner, body: customer });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await send('GET', '/v1/customers', { session: owner })).body.data.length, 1);
});

test('API keys keep working as before, without a CSRF token', async () => {
  const firm = await api.tenant({ name: 'Key Firm' });
  assert.equal((await firm.request('POST', '/v1/customers', { name: 'Initech', currency: 'EUR' })).status, 201);
  assertProblem(await firm.request('GET', '/v1/customers', undefined, { authorization: 'Bearer acr_not-a-key' }), { status: 401, code: 'unauthorized' });
  assertProblem(await firm.request('GET', '/v1/session'), { status: 404, code: 'session_not_found' });
});

test('a session lives 30 days after its last use', async (t) => {
  t.after(() => { api.clock.at = START; });
  const session = await signIn(OWNER.email, OWNER.password);
  api.clock.at = new Date(START.getTime() + 20 * DAY);
  const used = await send('GET', '/v1/session', { session });
  assert.equal(used.status, 200);
  assert.equal(sessionCookie(used)?.maxAge, 30 * 24 * 60 * 60, 'the cookie slides with the session');
  api.clock.at = new Date(START.getTime() + 45 * DAY); // 25 days after the last use
  assert.equal((await send('GET', '/v1/customers', { session })).status, 200);
  api.clock.at = new Date(START.getTime() + 76 * DAY); // 31 days after the last use
  const expired = await send('GET', '/v1/session', { session });
  assertProblem(expired, { status: 401, code: 'unauthorized' });
  assert.equal(sessionCookie(expired)?.value, '', 'an expired cookie is cleared');
});

const invited: Record<string, Session> = {};

async function invite(by: Session, email: string, role: string): Promise<any> {
  const response = await send('POST', '/v1/invitations', { session: by, body: { email, role } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

test('an invitation shows what it is for, creates the user once, and signs them in', async () => {
  const invitation = await invite(owner, 'Grace@Lovelace-Consulting.test', 'bookkeeper');
  assert.match(invitation.id, /^ivt_/);
  assert.equal(invitation.email, 'grace@lovelace-consulting.test');
  assert.equal(invitation.role, 'bookkeeper');
  assert.match(invitation.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(invitation.url, `/invite/${invitation.token}`);
  assert.equal(invitation.expiresAt, new Date(START.getTime() + 7 * DAY).toISOString());
  const { rows } = await api.db.pool.query(`select token_hash from invitations where id = $1`, [invitation.id]);
  assert.equal(rows[0].token_hash.toString('hex'), createHash('sha256').update(invitation.token).digest('hex'), 'only the hash is stored');

  const shown = await send('GET', `/v1/invitations/${invitation.token}`);
  assert.equal(shown.status, 200);
  assert.deepEqual(shown.body, { email: 'grace@lovelace-consulting.test', role: 'bookkeeper', organizationName: 'Lovelace Consulting' });
  assertProblem(await send('GET', `/v1/invitations/${'A'.repeat(43)}`), { status: 404, code: 'invitation_not_found' });

  const accept = (password: string) => send('POST', `/v1/invitations/${invitation.token}/accept`, { body: { name: 'Grace Hopper', password } });
  assertProblem(await accept('short'), { status: 422, code: 'password_too_short', field: 'password' });
  const grace = sessionFrom(await accept('a long enough password'), 201);
  assert.deepEqual({ ...grace.body.user, id: undefined }, { id: undefined, email: 'grace@lovelace-consulting.test', name: 'Grace Hopper', role: 'bookkeeper' });
  assert.equal(grace.body.organization.id, owner.body.organization.id);
  assert.equal((await send('GET', '/v1/customers', { session: grace })).body.data.length, 1, 'the new user works in the organization at once');
  invited.bookkeeper = grace;

  assertProblem(await accept('a long enough password'), { status: 404, code: 'invitation_already_accepted' });
  assertProblem(await send('GET', `/v1/invitations/${invitation.token}`), { status: 404, code: 'invitation_already_accepted' });
  assert.equal((await signIn('grace@lovelace-consulting.test', 'a long enough password')).body.user.role, 'bookkeeper');

  const users = await send('GET', '/v1/users', { session: owner });
  assert.equal(users.status, 200);
  assert.deepEqual(users.body.data.map((user: any) => [user.email, user.name, user.role]), [
    ['ada@lovelace-consulting.test', 'Ada Lovelace', 'owner'],
    ['grace@lovelace-consulting.test', 'Grace Hopper', 'bookkeeper'],
  ]);
  assert.ok(users.body.data.every((user: any) => typeof user.createdAt === 'string' && !('passwordHash' in user) && !('password_hash' in user)));

  assertProblem(await send('POST', '/v1/invitations', { session: owner, body: { email: 'grace@lovelace-consulting.test', role: 'member' } }), { status: 409, code: 'user_exists', field: 'email' });
  assertProblem(await send('POST', '/v1/invitations', { session: owner, body: { email: 'x@lovelace-consulting.test', role: 'owner' } }), { status: 400, field: 'role' });
});

test('an invitation expires after 7 days', async (t) => {
  t.after(() => { api.clock.at = START; });
  const invitation = await invite(owner, 'late@lovelace-consulting.test', 'member');
  api.clock.at = new Date(START.getTime() + 7 * DAY + 1000);
  assertProblem(await send('GET', `/v1/invitations/${invitation.token}`), { status: 404, code: 'invitation_expired' });
  assertProblem(await send('POST', `/v1/invitations/${invitation.token}/accept`, { body: { name: 'Late', password: 'a long enough password' } }), { status: 404, code: 'invitation_expired' });
});

test('only owners and admins invite', async () => {
  const member = sessionFrom(await send('POST', `/v1/invitations/${(await invite(owner, 'member@lovelace-consulting.test', 'member')).token}/accept`, {
    body: { name: 'Mel Member', password: 'member password 1' },
  }), 201);
  invited.member = member;
  assertProblem(await send('POST', '/v1/invitations', { session: member, body: { email: 'friend@example.test', role: 'member' } }), { status: 403, code: 'forbidden' });
  assertProblem(await send('POST', '/v1/invitations', { session: invited.bookkeeper!, body: { email: 'friend@example.test', role: 'member' } }), { status: 403, code: 'forbidden' });

  const admin = sessionFrom(await send('POST', `/v1/invitations/${(await invite(owner, 'admin@lovelace-consulting.test', 'admin')).token}/accept`, {
    body: { name: 'Al Admin', password: 'admin password 12' },
  }), 201);
  assert.equal((await send('POST', '/v1/invitations', { session: admin, body: { email: 'friend@example.test', role: 'admin' } })).status, 201);
});

test('failed sign-ins are limited per address: 10 in 15 minutes, then 429', async (t) => {
  t.after(() => { api.clock.at = START; });
  const email = 'member@lovelace-consulting.test';
  for (let attempt = 1; attempt <= 10; attempt++) {
    assertProblem(await send('POST', '/v1/session', { body: { email, password: `wrong guess ${attempt}` } }), { status: 401, code: 'invalid_credentials' });
  }
  const blocked = await send('POST', '/v1/session', { body: { email: email.toUpperCase(), password: 'member password 1' } });
  assertProblem(blocked, { status: 429, code: 'too_many_attempts' });
  assert.ok(Number(blocked.headers['retry-after']) > 0 && Number(blocked.headers['retry-after']) <= 15 * 60, `retry-after ${blocked.headers['retry-after']}`);
  assert.equal(sessionCookie(blocked), undefined, 'even the right password waits');
  assert.equal((await signIn(OWNER.email, OWNER.password)).body.user.role, 'owner', 'other addresses are not affected');

  for (let attempt = 1; attempt <= 10; attempt++) await send('POST', '/v1/session', { body: { email: 'ghost@example.test', password: 'whatever it is' } });
  assertProblem(await send('POST', '/v1/session', { body: { email: 'ghost@example.test', password: 'whatever it is' } }), { status: 429, code: 'too_many_attempts' });

  api.clock.at = new Date(START.getTime() + 15 * 60 * 1000 + 1000);
  assert.equal((await signIn(email, 'member password 1')).body.user.role, 'member', 'after the window the address may sign in again');
});

test("a cookie of one organization never reaches another organization's records", async () => {
  await createOrganization(api.db.pool, {
    legalName: 'Babbage Engines', baseCurrency: 'GBP', ownerEmail: 'charles@babbage.test', ownerName: 'Charles Babbage', ownerPassword: 'difference engine',
  });
  const charles = await signIn('charles@babbage.test', 'difference engine');
  assert.equal(charles.body.organization.legalName, 'Babbage Engines');
  assert.equal(charles.body.user.name, 'Charles Babbage');

  const theirs = await send('POST', '/v1/customers', { session: charles, body: { name: 'Analytical Ltd', currency: 'GBP' } });
  assert.equal(theirs.status, 201);
  const draft = await send('POST', '/v1/invoices', { session: charles, body: { customerId: theirs.body.id, lines: [{ description: 'Gears', quantity: '1', unitPrice: '10.00' }] } });
  assert.equal(draft.status, 201);

  assertProblem(await send('GET', `/v1/customers/${theirs.body.id}`, { session: owner }), { status: 404, code: 'customer_not_found' });
  assertProblem(await send('GET', `/v1/invoices/${draft.body.id}`, { session: owner }), { status: 404, code: 'invoice_not_found' });
  assertProblem(await send('POST', `/v1/invoices/${draft.body.id}/issue`, { session: owner }), { status: 404, code: 'invoice_not_found' });
  assertProblem(await send('POST', '/v1/invoices', { session: owner, body: { customerId: theirs.body.id, lines: [] } }), { status: 422, code: 'customer_not_found', field: 'customerId' });
  assert.ok(!(await send('GET', '/v1/customers', { session: owner })).body.data.some((c: any) => c.id === theirs.body.id));
  assert.deepEqual((await send('GET', '/v1/users', { session: charles })).body.data.map((user: any) => user.email), ['charles@babbage.test']);
  assertProblem(await send('GET', `/v1/customers/${(await send('GET', '/v1/customers', { session: owner })).body.data[0].id}`, { session: charles }), { status: 404 });

  // An address signs in to one user: it cannot accept an invitation elsewhere with a second password.
  const invitation = await invite(owner, 'charles@babbage.test', 'member');
  assertProblem(await send('POST', `/v1/invitations/${invitation.token}/accept`, { body: { name: 'Charles', password: 'another password' } }), { status: 409, code: 'email_in_use' });
});

test('the OpenAPI document describes the new routes, and the public ones need no credentials', async () => {
  const document = (await send('GET', '/openapi.json')).body;
  for (const [route, method] of [
    ['/v1/setup', 'get'], ['/v1/setup', 'post'], ['/v1/session', 'post'], ['/v1/session', 'get'], ['/v1/session', 'delete'], ['/v1/users', 'get'],
    ['/v1/invitations', 'post'], ['/v1/invitations/{token}', 'get'], ['/v1/invitations/{token}/accept', 'post'], ['/v1/dashboard', 'get'], ['/v1/invoices/preview', 'post'],
  ] as const) {
    assert.ok(document.paths[route]?.[method], `${method} ${route}`);
  }
  assert.deepEqual(document.paths['/v1/session'].post.security, []);
  assert.deepEqual(document.paths['/v1/invitations/{token}/accept'].post.security, []);
  assert.equal(document.paths['/v1/session'].get.security, undefined, 'the default (API key or session) applies');
  assert.equal(document.components.securitySchemes.session.in, 'cookie');
});

test('the built web app is served at /, with index.html for the pages of the client-side router', async (t) => {
  const dist = await fs.mkdtemp(path.join(os.tmpdir(), 'accrue-web-'));
  await fs.mkdir(path.join(dist, 'assets'));
  await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Accrue</title><div id="root"></div>');
  await fs.writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("accrue")');
  const app = await buildApp({ pool: api.db.pool, clock: api.clock, webDist: dist });
  t.after(async () => {
    await app.close();
    await fs.rm(dist, { recursive: true, force: true });
  });
  const get = (url: string, accept = 'text/html,application/xhtml+xml,*/*;q=0.8') => app.inject({ method: 'GET', url, headers: { accept } });

  for (const url of ['/', '/invoices/inv_01abc', '/invite/some-token?x=1', '/settings/users']) {
    const page = await get(url);
    assert.equal(page.statusCode, 200, url);
    assert.match(String(page.headers['content-type']), /^text\/html/, url);
    assert.match(page.body, /<div id="root">/, url);
    assert.equal(page.headers['cache-control'], 'no-cache', url);
  }
  const script = await get('/assets/index-abc123.js', '*/*');
  assert.equal(script.statusCode, 200);
  assert.match(String(script.headers['content-type']), /javascript/);
  assert.match(String(script.headers['cache-control']), /immutable/);

  assert.equal((await get('/health')).json().ok, true);
  assert.equal((await get('/openapi.json', 'application/json')).statusCode, 200);
  assert.match((await get('/docs')).headers['content-type'] as string, /html/);
  const api401 = await get('/v1/customers');
  assert.equal(api401.statusCode, 401, 'the API never answers with the web app');
  assert.match(String(api401.headers['content-type']), /problem\+json/);
  const unknownApi = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: { accept: 'text/html', authorization: `Bearer ${(await api.tenant()).apiKey}` } });
  assert.equal(unknownApi.statusCode, 404);
  assert.equal(unknownApi.json().code, 'route_not_found');
  const notHtml = await get('/missing.png', 'image/png');
  assert.equal(notHtml.statusCode, 404);
  assert.equal(notHtml.json().code, 'route_not_found');

  const withoutWeb = await buildApp({ pool: api.db.pool, clock: api.clock, webDist: path.join(dist, 'absent') });
  t.after(() => withoutWeb.close());
  const none = await withoutWeb.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  assert.equal(none.statusCode, 404, 'without a build there is only the API');
});
