// Shared steps of the staff journeys: accounts made with `awn create-staff`,
// a phone-sized browser signed in to the workspace, waiting for hydration.
import { expect, Browser, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { t } from './words';

/** The authenticator code of a base32 secret now (RFC 6238: SHA-1, 30 s, 6 digits). */
export function totpNow(secret: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}

/** A staff account made the way an administrator makes one: `awn create-staff`. */
export function createStaff(role: string): { username: string; password: string; secret?: string } {
  const username = `${role}.${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const printed = execFileSync(process.env.AWN_E2E_BINARY!, ['create-staff', '--username', username, '--name', `تجربة ${role}`, '--role', role], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.AWN_E2E_DATABASE_URL_RESOLVED,
      AWN_DATA_DIR: process.env.AWN_E2E_DATA_DIR,
      AWN_NEW_STAFF_PASSWORD: password,
      RUST_LOG: 'warn',
    },
  }).toString();
  // Admins and the privacy officer get an authenticator secret.
  const secret = printed.match(/secret:\s*([A-Z2-7]+)/)?.[1];
  return { username, password, secret };
}

/** A new phone (browser context) signed in to the workspace, policy accepted. */
export async function staffPage(browser: Browser, role: string, baseURL: string): Promise<Page> {
  const account = createStaff(role);
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, locale: 'ar-SA' });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log(role, 'console', m.text().slice(0, 400)); });
  await page.goto('/staff/sign-in');
  await page.getByLabel(t('ar', 'staff.username')).fill(account.username);
  await page.getByLabel(t('ar', 'staff.password')).fill(account.password);
  if (account.secret) await page.getByLabel(t('ar', 'staff.totp_code')).fill(totpNow(account.secret));
  await page.getByRole('button', { name: t('ar', 'staff.sign_in'), exact: true }).click();
  await page.getByRole('button', { name: t('ar', 'staff.policy_accept') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await hydrated(page);
  return page;
}


/** The workspace menu, opened (a `<details>` in the staff bar): its links. */
export async function staffMenu(page: Page) {
  const menu = page.locator('details.staff-menu');
  if ((await menu.getAttribute('open')) === null) await page.locator('.staff-menu__toggle').click();
  const links = page.locator('.staff-menu__links');
  await expect(links).toBeVisible();
  return links;
}
