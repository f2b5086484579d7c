/**
 * Browser tests: the real API server (buildApp on a fresh test database, listening on a free
 * port) serving the built web app, driven by Debian's Chromium through playwright-core.
 *
 *   const web = await startWebApp();       // closed by an after() hook
 *   const page = await web.newPage();
 *   await page.goto(web.url('/'));
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildApp, type AppInstance } from '../../src/http/app.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { ensureWebBuild } from '../../src/web-build.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export const CHROMIUM_PATH = process.env.ACCRUE_CHROMIUM ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = path.join(root, 'test-artifacts', 'screenshots');

export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** Debian's Chromium, headless, without the sandbox (CI runs as root) and without background chatter. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it. ` +
        'Install it with `apt-get install chromium` (or point ACCRUE_CHROMIUM at a Chromium binary).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export type WebApp = {
  app: AppInstance;
  db: TestDatabase;
  browser: Browser;
  baseUrl: string;
  url(pathname: string): string;
  /** A page in a fresh browser context (its own cookies), English, Berlin time. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  newContext(options?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>;
};

/** Builds the web app if needed, starts the server on a fresh database and launches Chromium. */
export async function startWebApp(options: { clock?: Clock } = {}): Promise<WebApp> {
  await ensureWebBuild({ log: () => {} });
  const db = await createTestDatabase();
  const app = await buildApp({ pool: db.pool, clock: options.clock ?? systemClock });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await app.close();
    await db.drop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  after(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser.close().catch(() => {});
    await app.close();
    await db.drop();
  });
  const newContext = async (contextOptions: { viewport?: { width: number; height: number } } = {}) => {
    const context = await browser.newContext({
      viewport: contextOptions.viewport ?? DESKTOP,
      locale: 'en-US',
      timezoneId: 'Europe/Berlin',
      reducedMotion: 'reduce',
      deviceScaleFactor: 1,
    });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  };
  return {
    app,
    db,
    browser,
    baseUrl,
    url: (pathname) => new URL(pathname, baseUrl).toString(),
    newContext,
    async newPage(pageOptions = {}) {
      const context = await newContext(pageOptions);
      const page = await context.newPage();
      // A page error is a bug in the app: fail loudly rather than on a missing element later.
      page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
      return page;
    },
  };
}

/** Saves a full-page screenshot to test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let fonts, transitions and pending totals settle so the picture shows the page at rest.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true, animations: 'disabled', style: '.toast-region { display: none !important; }' });
  return file;
}

/**
 * What every page must hold to: each visible input, select and textarea has an accessible name
 * (a label or aria-label), and nothing is wider than the window (no sideways scrolling on phones).
 */
export async function checkPage(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
      if (control.type === 'hidden' || control.offsetParent === null) continue;
      const named = (control.labels?.length ?? 0) > 0 || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      if (!named) found.push(`unlabelled <${control.tagName.toLowerCase()} name="${control.getAttribute('name') ?? ''}">`);
    }
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) found.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
    return found;
  });
  if (problems.length > 0) throw new Error(`${new URL(page.url()).pathname}: ${problems.join('; ')}`);
}

/** Waits until the locator's text matches (playwright-core has no expect()). */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = ((await locator.first().textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? '').trim();
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Expected ${locator} to show ${expected}, it shows "${last}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET an API path with the page's session cookie, as the web app would. */
export async function apiGet<T = any>(page: Page, pathname: string): Promise<T> {
  return page.evaluate(async (url) => {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    return response.json();
  }, pathname);
}

export type Owner = { name: string; email: string; password: string };

/**
 * An organization with an owner who can sign in, for tests that set up through the API and then
 * work in the browser: `api` calls the API with the owner's key, `signIn` signs in on a page.
 */
export async function organizationWithOwner(web: WebApp, legalName: string, owner: Owner) {
  const { createOrganization } = await import('../../src/modules/setup/index.ts');
  const { apiKey } = await createOrganization(web.db.pool, {
    legalName, baseCurrency: 'EUR', ownerEmail: owner.email, ownerName: owner.name, ownerPassword: owner.password,
    timeZone: 'Europe/Berlin', locale: 'en-US',
  });
  return {
    apiKey,
    async api(method: 'GET' | 'POST', url: string, body?: unknown): Promise<any> {
      const response = await web.app.inject({
        method, url, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}),
      });
      if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    },
    async signIn(page: Page, next: string): Promise<void> {
      await page.goto(web.url(`/sign-in?next=${encodeURIComponent(next)}`));
      await page.getByLabel('Email').fill(owner.email);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
  };
}

/** Amounts as the web app shows them in the tests' en-US organizations. */
export const euro = (amount: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(amount as Intl.StringNumericLiteral);
