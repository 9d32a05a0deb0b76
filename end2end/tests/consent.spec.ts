// The visitor's consent banner (B10) on a phone: reject in Arabic and change it
// later, accept in English, and the same without JavaScript.
import { test, expect, Page } from '@playwright/test';
import { t } from './words';

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}

test('Arabic: reject everything on the first visit, then allow statistics from the footer', async ({ page }) => {
  await page.goto('/faq');
  await hydrated(page);
  const banner = page.getByRole('region', { name: t('ar', 'consent.title') });
  await expect(banner).toBeVisible();
  // Rejecting is one tap, like accepting.
  await banner.getByRole('button', { name: t('ar', 'consent.reject_all') }).click();
  await expect(banner).toBeHidden();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('region', { name: t('ar', 'consent.title') })).toHaveCount(0);

  await page.getByRole('link', { name: t('ar', 'footer.privacy_choices') }).click();
  await expect(page).toHaveURL(/\/privacy-choices$/);
  await expect(page.locator('.consent__analytics')).toHaveText(t('ar', 'consent.off'));
  await page.locator('#form-consent-page').getByLabel(t('ar', 'consent.analytics')).check();
  await page.locator('#form-consent-page').getByRole('button', { name: t('ar', 'consent.save') }).click();
  await expect(page.locator('.consent__analytics')).toHaveText(t('ar', 'consent.on'));
  await expect(page.locator('.consent__communications')).toHaveText(t('ar', 'consent.off'));
});

test('English: accept everything', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const banner = page.getByRole('region', { name: t('en', 'consent.title') });
  await expect(banner).toBeVisible();
  await banner.getByText(t('en', 'consent.choose')).click();
  await expect(banner.getByLabel(t('en', 'consent.analytics'))).not.toBeChecked();
  await banner.getByRole('button', { name: t('en', 'consent.accept_all') }).click();
  await expect(banner).toBeHidden();
  await page.goto('/privacy-choices');
  await expect(page.locator('.consent__analytics')).toHaveText(t('en', 'consent.on'));
  await expect(page.locator('.consent__communications')).toHaveText(t('en', 'consent.on'));
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the banner works as a plain form and comes back to the same page', async ({ page }) => {
    await page.goto('/faq?q=' + encodeURIComponent('سلة'));
    await page.getByRole('region', { name: t('ar', 'consent.title') }).getByRole('button', { name: t('ar', 'consent.accept_all') }).click();
    await expect(page).toHaveURL(/\/faq\?q=/);
    await expect(page.getByRole('region', { name: t('ar', 'consent.title') })).toHaveCount(0);
  });
});
