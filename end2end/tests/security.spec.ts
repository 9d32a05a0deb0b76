// Safe on the open internet, as staff meet it on a phone: a staff member changes
// their own password (a guessable one is refused with its reason, and the old
// password stops working), with JavaScript in Arabic and without it in English.
import { test, expect, Page } from '@playwright/test';
import { createStaff, hydrated, staffMenu } from './staff-journey';
import { t } from './words';

const phone = { viewport: { width: 360, height: 740 } };

type Labels = {
  username: string; password: string; signIn: string; accept: string; account: string;
  current: string; next: string; again: string; change: string; guessable: string; changed: string;
  signOut: string;
};

const arabic: Labels = {
  username: t('ar', 'staff.username'), password: t('ar', 'staff.password'), signIn: t('ar', 'staff.sign_in'), accept: t('ar', 'staff.policy_accept'),
  account: t('ar', 'account_security.title'), current: t('ar', 'account_security.current_password'), next: t('ar', 'account_security.new_password'), again: t('ar', 'account_security.new_password_again'),
  change: t('ar', 'account_security.change'), guessable: t('ar', 'account_security.too_guessable'), changed: t('ar', 'account_security.changed'),
  signOut: t('ar', 'staff.sign_out'),
};

const english: Labels = {
  username: t('en', 'staff.username'), password: t('en', 'staff.password'), signIn: t('en', 'staff.sign_in'), accept: t('en', 'staff.policy_accept'),
  account: t('en', 'account_security.title'), current: t('en', 'account_security.current_password'), next: t('en', 'account_security.new_password'), again: t('en', 'account_security.new_password_again'),
  change: t('en', 'account_security.change'), guessable: t('en', 'account_security.too_guessable'), changed: t('en', 'account_security.changed'),
  signOut: t('en', 'staff.sign_out'),
};

async function signIn(page: Page, labels: Labels, username: string, password: string) {
  await page.goto('/staff/sign-in');
  await page.getByLabel(labels.username).fill(username);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.signIn, exact: true }).click();
}

async function changePassword(page: Page, labels: Labels, javascript: boolean) {
  const account = createStaff('relations_officer');
  await signIn(page, labels, account.username, account.password);
  await page.getByRole('button', { name: labels.accept }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  if (javascript) await hydrated(page);
  await (await staffMenu(page)).getByRole('link', { name: labels.account, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: labels.account })).toBeVisible();
  if (javascript) await hydrated(page);

  // A password an attacker tries first is refused, with the reason, on the field.
  await page.getByLabel(labels.current).fill(account.password);
  await page.getByLabel(labels.next, { exact: true }).fill('password1234');
  await page.getByLabel(labels.again).fill('password1234');
  await page.getByRole('button', { name: labels.change }).click();
  await expect(page.getByText(labels.guessable)).toBeVisible();

  // A passphrase of unrelated words is taken, and the page says so.
  const passphrase = `lantern ${Date.now() % 100000} orchard velvet`;
  await page.getByLabel(labels.current).fill(account.password);
  await page.getByLabel(labels.next, { exact: true }).fill(passphrase);
  await page.getByLabel(labels.again).fill(passphrase);
  await page.getByRole('button', { name: labels.change }).click();
  await expect(page.getByText(labels.changed)).toBeVisible();
  // The form's button is big enough for a thumb.
  const box = await page.getByRole('button', { name: labels.change }).boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);

  // Signed out, the old password no longer opens the workspace; the new one does.
  await page.getByRole('button', { name: labels.signOut }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in/);
  // Signing out clears the site's cookies (Clear-Site-Data), the language's too.
  if (labels === english) await page.context().addCookies([{ name: 'awn_lang', value: 'en', url: new URL(page.url()).origin }]);
  await signIn(page, labels, account.username, account.password);
  await expect(page).toHaveURL(/\/staff\/sign-in/);
  await signIn(page, labels, account.username, passphrase);
  await expect((await staffMenu(page)).getByRole('link', { name: labels.account, exact: true })).toBeVisible();
}

test('Arabic: a staff member changes their password from the phone; a guessable one is refused', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, ...phone, locale: 'ar-SA' });
  await changePassword(await context.newPage(), arabic, true);
});

test('English, without JavaScript: the same change of password', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, ...phone, locale: 'en-GB', javaScriptEnabled: false });
  await context.addCookies([{ name: 'awn_lang', value: 'en', url: baseURL! }]);
  await changePassword(await context.newPage(), english, false);
});

test('a link from another site into the staff workspace asks before it opens anything', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, ...phone, locale: 'ar-SA' });
  const page = await context.newPage();
  // Another site (answered by the test itself) with a link into the workspace.
  const target = `${baseURL}/staff/beneficiaries/1`;
  await page.route('http://elsewhere.example/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><a id="lure" href="${target}">open</a>` }));
  await page.goto('http://elsewhere.example/');
  await page.click('#lure');
  // The browser says the navigation came from another site: a confirmation, not the page.
  const carryOn = page.locator('a[href="/staff/beneficiaries/1"]');
  await expect(carryOn).toBeVisible();
  await expect(page).toHaveURL(target);
  await carryOn.click();
  // Followed from our own page, it leads on (here, signed out: to the sign-in).
  await expect(page).toHaveURL(/\/staff\/sign-in/);
});
