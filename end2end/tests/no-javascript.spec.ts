import { test, expect } from '@playwright/test';

test.use({ javaScriptEnabled: false });

test.describe('public pages on a phone, JavaScript off', () => {
  test('the home page loads with all its content', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'سلة غذائية' })).toBeVisible();
    await expect(page.locator('.decision-period')).toContainText('خلال 14 يومًا');
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  });

  test('the language link works without JavaScript', async ({ page }) => {
    await page.goto('/privacy');
    await page.getByRole('link', { name: 'Switch to English' }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('.policy__version')).toHaveText('Version 1.0');
  });

  test('the digit links work without JavaScript', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'أرقام عربية' }).click();
    await expect(page.locator('.decision-period')).toContainText('خلال ١٤ يومًا');
  });
});
