// What a phone downloads. Awn's pages are Leptos islands (app/src/page_scripts.rs): a
// page is the server's HTML, and only a page with an island (a date field) loads the
// WASM bundle, once the page has been painted. The staff workspace is never code in
// any bundle.
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

test('pages without an island download no WASM or JS; the wizard its islands; staff pages none', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const files = bundleRequests(page);

  for (const path of ['/', '/sign-in', '/faq', '/privacy', '/privacy-violation']) {
    await page.goto(path);
    await hydrated(page);
    expect(files, `${path} is interactive as it is`).toEqual([]);
  }
  // Reached by a link, the page works the same.
  await page.goto('/');
  await page.getByRole('link', { name: 'الأسئلة الشائعة' }).first().click();
  await expect(page).toHaveURL(/\/faq$/);
  await hydrated(page);

  await signIn(page, arabic, '0501110070');
  await page.goto('/requests');
  await hydrated(page);
  expect(files, 'a beneficiary\'s list of requests has no island').toEqual([]);

  // The wizard's first step has a date field: its island loads the one bundle.
  await page.goto('/requests/new');
  await hydrated(page);
  expect(files.filter((file) => file.endsWith('.wasm')), files.join(' ')).toHaveLength(1);
  expect(files.every((file) => file.startsWith('awn.')), files.join(' ')).toBe(true);

  const staff = await staffPage(browser, 'relations_officer', baseURL!);
  const staffFiles = bundleRequests(staff);
  await staff.reload();
  await hydrated(staff);
  expect(staffFiles, 'the staff queue is the server\'s HTML').toEqual([]);
});

// The bundle's download waits for the page's first paint: on a weak connection the
// stylesheet the paint needs does not share the bandwidth with the WASM, and the
// content shows first.
test('the bundle is asked for once the page has been painted', async ({ page }) => {
  await signIn(page, arabic, '0501110071');
  await page.goto('/requests/new');
  await hydrated(page);
  const [paint, wasm] = await page.evaluate(() => [
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    performance.getEntriesByType('resource').find((entry) => /\/pkg\/awn\.[^/]*\.wasm$/.test(entry.name))?.startTime ?? -1,
  ]);
  expect(paint, 'the page was painted').toBeGreaterThan(0);
  expect(wasm, 'the WASM file was fetched').toBeGreaterThan(0);
  expect(wasm).toBeGreaterThanOrEqual(paint);
});

// A person may type while the bundle is still on its way (it waits for the first
// paint): taking the islands over must keep what they typed, in them and around them.
test('text typed before the page is interactive is kept and sent', async ({ page }) => {
  await signIn(page, arabic, '0501110072');
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/.*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/requests/new');
  await page.getByLabel(arabic.fullName).fill('فاطمة علي حسن الشهري');
  await page.getByLabel(arabic.birthDate).fill('1410/12/25');
  release();
  await hydrated(page);
  await expect(page.getByLabel(arabic.fullName)).toHaveValue('فاطمة علي حسن الشهري');
  await expect(page.getByLabel(arabic.birthDate)).toHaveValue('1410/12/25');
  // The island starts from what the input holds: the Gregorian day shows without another key.
  await expect(page.locator('#field-birth_date-other')).toHaveText(/يوافق (18|١٨) يوليو (1990|١٩٩٠) م/);
  await page.getByRole('button', { name: t('ar', 'wizard.save_draft') }).click();
  await expect(page.getByText(t('ar', 'wizard.saved'))).toBeVisible();
  await expect(page.getByLabel(arabic.fullName)).toHaveValue('فاطمة علي حسن الشهري');
});
