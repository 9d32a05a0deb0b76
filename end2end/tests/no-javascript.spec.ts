import { test, expect } from '@playwright/test';
import { t } from './words';

test.use({ javaScriptEnabled: false });

test.describe('public pages on a phone, JavaScript off', () => {
  test('the home page loads with all its content', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'سلة غذائية' })).toBeVisible();
    await expect(page.locator('.decision-period')).toContainText(t('ar', 'home.decision_period_many', { days: '14' }));
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  });

  test('the language link works without JavaScript', async ({ page }) => {
    await page.goto('/privacy');
    await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('.policy__version')).toHaveText(t('en', 'privacy.version', { version: '1.0' }));
  });

  test('the digit links work without JavaScript', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: t('ar', 'digits.arabic_label') }).click();
    await expect(page.locator('.decision-period')).toContainText(t('ar', 'home.decision_period_many', { days: '١٤' }));
  });
});
