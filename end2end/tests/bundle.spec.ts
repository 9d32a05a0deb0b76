// What a phone downloads: the page groups of app/src/routes.rs are WASM files of their
// own (`cargo leptos build --split`). A beneficiary's pages never fetch the staff
// workspace; the home page fetches no group at all; a staff page fetches its group,
// and a page reached by a link fetches its group then and still works.
import { test, expect, Page } from '@playwright/test';
import { arabic, signIn } from './journey';
import { hydrated, staffPage } from './staff-journey';
import { t } from './words';

/** The /pkg files a page asks for, from now on. */
function bundleRequests(page: Page): string[] {
  const files: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/') && /\.(wasm|js)$/.test(path)) files.push(path.slice('/pkg/'.length));
  });
  return files;
}

test('a beneficiary never downloads the staff workspace; staff pages load it', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const files = bundleRequests(page);

  await page.goto('/');
  await hydrated(page);
  expect(files.some((file) => file.startsWith('awn.') && file.endsWith('.wasm')), files.join(' ')).toBe(true);
  expect(files.filter((file) => file.startsWith('split_')), 'the home page is in the main file').toEqual([]);

  // Reached by a link: the public group is fetched then, and the page works.
  await page.getByRole('link', { name: 'الأسئلة الشائعة' }).first().click();
  await expect(page).toHaveURL(/\/faq$/);
  await expect.poll(() => files.some((file) => file.startsWith('split_public_pages'))).toBe(true);

  await signIn(page, arabic, '0501110070');
  const beforeWizard = files.length;
  await page.goto('/requests/new');
  await hydrated(page);
  const wizardFiles = files.slice(beforeWizard);
  expect(wizardFiles.some((file) => file.startsWith('split_wizard_pages')), wizardFiles.join(' ')).toBe(true);
  expect(wizardFiles.filter((file) => file.startsWith('split_signed_in_pages')), 'the wizard alone').toEqual([]);
  await page.goto('/requests');
  await hydrated(page);
  expect(files.some((file) => file.startsWith('split_signed_in_pages')), files.join(' ')).toBe(true);
  expect(files.filter((file) => file.includes('staff')), 'no staff code on a beneficiary phone').toEqual([]);

  const staff = await staffPage(browser, 'relations_officer', baseURL!);
  const staffFiles = bundleRequests(staff);
  await staff.reload();
  await hydrated(staff);
  expect(staffFiles.some((file) => file.startsWith('split_staff_pages')), staffFiles.join(' ')).toBe(true);
});

// The bundle's downloads wait for the page's first paint: on a weak connection the
// stylesheet the paint needs does not share the bandwidth with the WASM, and the
// content shows first (app/src/page_scripts.rs).
test('the bundle is asked for once the page has been painted', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  const [paint, wasm] = await page.evaluate(() => [
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    performance.getEntriesByType('resource').find((entry) => /\/pkg\/awn\.[^/]*\.wasm$/.test(entry.name))?.startTime ?? -1,
  ]);
  expect(paint, 'the page was painted').toBeGreaterThan(0);
  expect(wasm, 'the main WASM file was fetched').toBeGreaterThan(0);
  expect(wasm).toBeGreaterThanOrEqual(paint);
});

// A person may type while the bundle is still on its way (it waits for the first
// paint): taking the page over must keep what they typed.
test('text typed before the page is interactive is kept and sent', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/.*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/privacy-violation');
  const description = page.getByLabel(t('ar', 'violation.description'));
  await description.fill('نُشرت قائمة بأسماء مستفيدين في مجموعة عامة اليوم.');
  release();
  await hydrated(page);
  await expect(description).toHaveValue('نُشرت قائمة بأسماء مستفيدين في مجموعة عامة اليوم.');
  await page.getByRole('button', { name: t('ar', 'violation.send') }).click();
  await expect(page.getByText(t('ar', 'violation.sent'))).toBeVisible();
});
