// The data subject's rights and violation reports on a phone: a beneficiary
// manages consents and downloads their data (Arabic); a visitor reports a
// violation anonymously and the privacy officer sees the breach deadline (English, Arabic).
import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { arabic, signIn } from './journey';
import { hydrated, staffPage } from './staff-journey';

async function consentState(page: Page, kind: string) {
  return page.locator(`#consent-${kind} .consent-line__state`);
}

test('a beneficiary gives and withdraws a consent, downloads their data and asks for its deletion', async ({ page }) => {
  const mobile = '0501110050';
  await signIn(page, arabic, mobile);
  await hydrated(page);
  await page.getByRole('link', { name: 'بياناتي وخصوصيتي' }).click();
  await expect(page).toHaveURL(/\/my-data$/);
  await expect(await consentState(page, 'news_sms')).toHaveText('غير مسموح');
  await page.locator('#consent-news_sms').getByRole('button', { name: 'أوافق' }).click();
  await expect(await consentState(page, 'news_sms')).toHaveText('مسموح');
  await page.locator('#consent-news_sms').getByRole('button', { name: 'أسحب موافقتي' }).click();
  await expect(await consentState(page, 'news_sms')).toHaveText('غير مسموح');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'تنزيل بياناتي (JSON)' }).click();
  const file = await (await download).path();
  const data = JSON.parse(readFileSync(file!, 'utf8'));
  expect(data.mobile).toBe('+966' + mobile.slice(1));
  expect(data.consent_history).toHaveLength(2);

  await page.getByLabel('حذف بياناتي').check();
  await page.getByRole('button', { name: 'إرسال الطلب' }).click();
  await expect(page.locator('.data-request')).toContainText('قيد المعالجة');
});

test('English: an anonymous violation report reaches the privacy officer, who starts the breach clock', async ({ browser, page, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('link', { name: 'Report a privacy violation' }).click();
  await expect(page).toHaveURL(/\/privacy-violation$/);
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect(page.locator('#field-description-error')).toContainText('This field is required.');
  const description = 'A list with the names of beneficiaries was posted in a public group today.';
  await page.getByLabel('What happened? (when and where, if you can)').fill(description);
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect(page.getByText('We received your report')).toBeVisible();

  const officer = await staffPage(browser, 'privacy_officer', baseURL!);
  await officer.getByRole('link', { name: 'بلاغات انتهاك الخصوصية' }).first().click();
  const report = officer.locator('li', { hasText: description });
  await report.getByRole('button', { name: 'خرق يجب الإبلاغ عنه' }).click();
  await expect(officer.locator('li', { hasText: description }).locator('.breach-deadline')).toContainText('بقي 71 ساعة');
});
