import { test, expect, Page } from '@playwright/test';
import { arabic, english, nationalId, signIn, submitRequest } from './journey';
import { t } from './words';

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}

test.describe('the beneficiary journey on a phone, JavaScript on', () => {
  test('Arabic: sign in, submit a request, follow it', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    await signIn(page, arabic, '0501110001');
    await hydrated(page);
    await submitRequest(page, arabic, '0501110001', nationalId('100000001'));
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    // No horizontal scrolling at 360 px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: t('ar', 'tracking.back_to_list') }).click();
    await expect(page.locator('.request-list__item')).toHaveCount(1);
  });

  test('English: the same journey', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await signIn(page, english, '0501110002');
    await submitRequest(page, english, '0501110002', nationalId('100000002'));
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  });

  test('mistakes are shown next to their fields and nothing typed is lost', async ({ page }) => {
    await signIn(page, arabic, '0501110003');
    await page.goto('/requests/new');
    await hydrated(page);
    await page.getByLabel(arabic.fullName).fill('Fatimah');
    await page.getByLabel(arabic.nationalId).fill('1234567890');
    await page.getByRole('button', { name: arabic.next }).click();
    await expect(page.locator('#field-national_id-error')).toBeVisible();
    await expect(page.locator('#field-full_name-error')).toHaveText(t('ar', 'field_errors.name_not_arabic'));
    await expect(page.getByLabel(arabic.nationalId)).toHaveValue('1234567890');
    await expect(page.getByText(arabic.step(1))).toBeVisible();
  });
});
