// Keyboard journeys (issue 17): focus follows what the person did. The skip
// link reaches the main content, hydrated or not; after "Next" the new step's
// heading has focus; after mistakes, their summary does, each a link to its field.
import { expect, test } from '@playwright/test';
import { arabic, signIn } from './journey';
import { hydrated } from './staff-journey';
import { t } from './words';

test('the skip link moves focus to the main content once hydrated', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: t('ar', 'nav.skip_to_content') })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#content')).toBeFocused();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the skip link moves focus to the main content', async ({ page }) => {
    await page.goto('/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.locator('main#content')).toBeFocused();
  });
});

test('after Next the new step is announced; after mistakes their summary, linked to the fields', async ({ page }) => {
  const mobile = '0555' + String(Date.now()).slice(-6);
  await signIn(page, arabic, mobile);
  await page.goto('/requests/new');
  await hydrated(page);
  // Nothing typed: the mistakes come back, summarised, and the summary has focus.
  await page.getByRole('button', { name: arabic.next }).click();
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: t('ar', 'wizard.full_name') })).toBeVisible();
  // One announcement: the fields' own messages are not alerts of their own.
  expect(await page.locator('[role=alert]').count()).toBe(1);
  await summary.getByRole('link', { name: t('ar', 'wizard.full_name') }).click();
  await expect(page.getByLabel(arabic.fullName)).toBeFocused();

  await page.getByLabel(arabic.fullName).fill('فاطمة علي حسن الشهري');
  await page.getByLabel(arabic.nationalId).fill('1000000008');
  await page.getByLabel(arabic.birthDate).fill('1990-07-01');
  await page.getByLabel(arabic.city).fill('الرهاة');
  await page.getByLabel(arabic.district, { exact: true }).fill('حي النخيل');
  await page.getByRole('button', { name: arabic.next }).click();
  await expect(page.getByText(arabic.step(2))).toBeVisible();
  await expect(page.locator('#step-title')).toBeFocused();
  await expect(page.locator('#step-title')).toHaveText(t('ar', 'wizard.step_household'));
});
