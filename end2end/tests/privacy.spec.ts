// The data subject's rights and violation reports on a phone: a beneficiary
// manages consents and downloads their data (Arabic); a visitor reports a
// violation anonymously and the privacy officer sees the breach deadline (English, Arabic).
import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { arabic, signIn } from './journey';
import { hydrated, staffPage } from './staff-journey';
import { t } from './words';

async function consentState(page: Page, kind: string) {
  return page.locator(`#consent-${kind} .consent-line__state`);
}

test('a beneficiary gives and withdraws a consent, downloads their data and asks for its deletion', async ({ page }) => {
  const mobile = '0501110050';
  await signIn(page, arabic, mobile);
  await hydrated(page);
  await page.getByRole('link', { name: t('ar', 'my_data.title') }).click();
  await expect(page).toHaveURL(/\/my-data$/);
  await expect(await consentState(page, 'news_sms')).toHaveText(t('ar', 'consent.off'));
  await page.locator('#consent-news_sms').getByRole('button', { name: t('ar', 'my_data.give') }).click();
  await expect(await consentState(page, 'news_sms')).toHaveText(t('ar', 'consent.on'));
  await page.locator('#consent-news_sms').getByRole('button', { name: t('ar', 'my_data.withdraw') }).click();
  await expect(await consentState(page, 'news_sms')).toHaveText(t('ar', 'consent.off'));

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: t('ar', 'my_data.download_json') }).click();
  const file = await (await download).path();
  const data = JSON.parse(readFileSync(file!, 'utf8'));
  expect(data.mobile).toBe('+966' + mobile.slice(1));
  expect(data.consent_history).toHaveLength(2);

  await page.getByLabel(t('ar', 'my_data.deletion')).check();
  await page.getByRole('button', { name: t('ar', 'my_data.send_request') }).click();
  await expect(page.locator('.data-request')).toContainText(t('ar', 'my_data.status_open'));
});

test('English: an anonymous violation report reaches the privacy officer, who starts the breach clock', async ({ browser, page, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('link', { name: t('en', 'footer.report_violation') }).click();
  await expect(page).toHaveURL(/\/privacy-violation$/);
  await page.getByRole('button', { name: t('en', 'violation.send') }).click();
  await expect(page.locator('#field-description-error')).toContainText(t('en', 'field_errors.required'));
  const description = 'A list with the names of beneficiaries was posted in a public group today.';
  await page.getByLabel(t('en', 'violation.description')).fill(description);
  await page.getByRole('button', { name: t('en', 'violation.send') }).click();
  await expect(page.getByText(t('en', 'violation.sent'))).toBeVisible();

  const officer = await staffPage(browser, 'privacy_officer', baseURL!);
  await officer.locator('.workspace-home').getByRole('link', { name: t('ar', 'violation.staff_title') }).click();
  const report = officer.locator('li', { hasText: description });
  await report.getByRole('button', { name: t('ar', 'violation.mark_breach') }).click();
  await expect(officer.locator('li', { hasText: description }).locator('.breach-deadline')).toContainText('بقي 71 ساعة');
});
