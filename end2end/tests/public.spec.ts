import { test, expect, Page } from '@playwright/test';
import { t } from './words';

// A debug build's WASM is several megabytes; on a busy 2-core CI machine the
// first page to fetch and compile it can take well over the default wait.
async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}

test.describe('public pages on a phone, JavaScript on', () => {
  test('the home page renders in Arabic, right to left', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('ar', 'home.title'));
    await expect(page.getByRole('heading', { name: 'سلة غذائية' })).toBeVisible();
    await expect(page.locator('.decision-period')).toContainText(t('ar', 'home.decision_period_many', { days: '14' }));
    await expect(page).toHaveTitle(`${t('ar', 'home.title')} | ${t('ar', 'app_name')}`);
  });

  test('the language link switches the page and is remembered', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('en', 'home.title'));
    await expect(page.getByRole('heading', { name: 'Food basket' })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);

    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('en', 'home.title'));
    await page.getByRole('link', { name: t('en', 'language.switch_label') }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  });

  test('a change of the browser\'s languages never overrides the chosen one', async ({ page }) => {
    // The browser's languages as the page reads them, changeable by the test.
    await page.addInitScript(() => {
      (window as any).__languages = ['en-US'];
      Object.defineProperty(navigator, 'languages', { get: () => (window as any).__languages });
    });
    await page.goto('/');
    await hydrated(page);
    // The person chooses English; later the browser's languages change to Arabic.
    await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.reload();
    await hydrated(page);
    await page.evaluate(() => {
      (window as any).__languages = ['ar-SA'];
      window.dispatchEvent(new Event('languagechange'));
    });
    await page.waitForTimeout(300);
    // The chosen English stays, on the page and in the cookie (it once flipped to Arabic).
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    expect((await page.context().cookies()).find((c) => c.name === 'awn_lang')?.value).toBe('en');
  });

  test('the digit control changes the page\'s numbers and is remembered', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('link', { name: t('ar', 'digits.arabic_label') }).click();
    await expect(page.locator('.decision-period')).toContainText(t('ar', 'home.decision_period_many', { days: '١٤' }));
    await expect(page.getByRole('link', { name: t('ar', 'digits.arabic_label') })).toHaveAttribute('aria-current', 'true');
    await page.reload();
    await expect(page.locator('.decision-period')).toContainText(t('ar', 'home.decision_period_many', { days: '١٤' }));
  });

  test('the privacy policy shows its version and date', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('contentinfo').getByRole('link', { name: t('ar', 'footer.privacy') }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.locator('.policy__version')).toHaveText(t('ar', 'privacy.version', { version: '1.0' }));
    await expect(page.locator('.policy__meta time')).toBeVisible();
    await expect(page.locator('.policy__meta .dual-date__hijri')).toContainText(t('ar', 'dates.hijri_era'));
    await expect(page.getByRole('heading', { name: 'المادة (٤) الإفصاح لطرف ثالث' })).toBeVisible();
  });

  test('the privacy policy in English', async ({ page, context }) => {
    await context.addCookies([{ name: 'awn_lang', value: 'en', url: 'http://127.0.0.1' }]);
    await page.goto('/privacy');
    await expect(page.locator('.policy__version')).toHaveText('Version 1.0');
    await expect(page.getByRole('heading', { name: 'Article 4: Disclosure to third parties' })).toBeVisible();
  });

  test('an unknown address shows a helpful 404', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('ar', 'not_found.title'));
    await page.getByRole('link', { name: t('ar', 'not_found.go_home') }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('the layout fits a 360 px screen with large touch targets', async ({ page }) => {
    await page.goto('/');
    const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - 360;
    expect(overflow).toBeLessThanOrEqual(0);
    for (const name of [t('ar', 'language.switch_label'), t('ar', 'digits.arabic_label'), t('ar', 'digits.western_label')]) {
      const box = await page.getByRole('link', { name }).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
    }
  });

  test('no error reaches the console while hydrating', async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto('/');
    await hydrated(page);
    await page.goto('/privacy');
    await hydrated(page);
    expect(problems).toEqual([]);
  });
});
