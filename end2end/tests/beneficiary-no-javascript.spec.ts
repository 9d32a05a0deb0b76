import { test, expect } from '@playwright/test';
import { arabic, nationalId, signIn, submitRequest } from './journey';

test.use({ javaScriptEnabled: false });

test('without JavaScript: sign in, submit a request with a document, see it tracked', async ({ page }) => {
  await signIn(page, arabic, '0501110009');
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  await submitRequest(page, arabic, '0501110009', nationalId('100000009'), false);
});

test('without JavaScript: a wrong code says so and keeps the page', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel(arabic.mobileLabel).fill('0501110010');
  await page.getByRole('button', { name: arabic.sendCode }).click();
  await expect(page).toHaveURL(/\/sign-in\/code\??$/);
  await page.getByLabel(arabic.codeLabel).fill('٠٠٠٠٠٠');
  await page.getByRole('button', { name: arabic.verify }).click();
  await expect(page).toHaveURL(/\/sign-in\/code\??$/);
  await expect(page.locator('#field-code-error')).toContainText('الرمز غير صحيح');
});
