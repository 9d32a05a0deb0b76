// The visitor's consent banner (B10) on a phone: reject in Arabic and change it
// later, accept in English, and the same without JavaScript.
import { test, expect, Page } from '@playwright/test';

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}

test('Arabic: reject everything on the first visit, then allow statistics from the footer', async ({ page }) => {
  await page.goto('/faq');
  await hydrated(page);
  const banner = page.getByRole('region', { name: 'موافقتك على استخدام البيانات' });
  await expect(banner).toBeVisible();
  // Rejecting is one tap, like accepting.
  await banner.getByRole('button', { name: 'أرفض الكل' }).click();
  await expect(banner).toBeHidden();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('region', { name: 'موافقتك على استخدام البيانات' })).toHaveCount(0);

  await page.getByRole('link', { name: 'خيارات الخصوصية' }).click();
  await expect(page).toHaveURL(/\/privacy-choices$/);
  await expect(page.locator('.consent__analytics')).toHaveText('غير مسموح');
  await page.locator('#form-consent-page').getByLabel('إحصاءات الموقع').check();
  await page.locator('#form-consent-page').getByRole('button', { name: 'احفظ اختياري' }).click();
  await expect(page.locator('.consent__analytics')).toHaveText('مسموح');
  await expect(page.locator('.consent__communications')).toHaveText('غير مسموح');
});

test('English: accept everything', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const banner = page.getByRole('region', { name: 'Your consent to the use of data' });
  await expect(banner).toBeVisible();
  await banner.getByText('Let me choose').click();
  await expect(banner.getByLabel('Site statistics')).not.toBeChecked();
  await banner.getByRole('button', { name: 'Accept all' }).click();
  await expect(banner).toBeHidden();
  await page.goto('/privacy-choices');
  await expect(page.locator('.consent__analytics')).toHaveText('Allowed');
  await expect(page.locator('.consent__communications')).toHaveText('Allowed');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the banner works as a plain form and comes back to the same page', async ({ page }) => {
    await page.goto('/faq?q=' + encodeURIComponent('سلة'));
    await page.getByRole('region', { name: 'موافقتك على استخدام البيانات' }).getByRole('button', { name: 'أوافق على الكل' }).click();
    await expect(page).toHaveURL(/\/faq\?q=/);
    await expect(page.getByRole('region', { name: 'موافقتك على استخدام البيانات' })).toHaveCount(0);
  });
});
