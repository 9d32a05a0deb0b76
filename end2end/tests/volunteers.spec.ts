// The volunteering channel (A18) in Arabic on a phone: a volunteer signs up
// from the home page's "خدمة التطوع", confirms the mobile with the code from
// the development outbox, an officer accepts with a message, and the
// acceptance SMS is queued to the volunteer.
import { test, expect, Page } from '@playwright/test';
import { t } from './words';
import { hydrated, staffPage } from './staff-journey';

/** The newest outbox row to a number (05…) for `purpose`, as text. */
async function outboxRow(page: Page, mobile: string, purpose: string): Promise<string | undefined> {
  const e164 = '+966' + mobile.slice(1);
  const html = await (await page.request.get('/dev/outbox')).text();
  return html.split('<tr ').find((r) => r.includes(`data-recipient="${e164}"`) && r.includes(`data-purpose="${purpose}"`));
}

test('a volunteer signs up, an officer accepts, the acceptance SMS is queued', async ({ page, browser, baseURL }) => {
  const mobile = '058' + String(Date.now()).slice(-7);
  const name = 'متطوعة تجربة ' + mobile.slice(-4);
  await page.goto('/');
  await page.getByRole('link', { name: t('ar', 'channels.volunteering'), exact: true }).click();
  await expect(page).toHaveURL(/\/volunteer$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('ar', 'volunteers.title'));
  await hydrated(page);
  await page.getByLabel(t('ar', 'volunteers.full_name')).fill(name);
  await page.getByLabel(t('ar', 'sign_in.mobile_label')).fill(mobile);
  await page.getByLabel(t('ar', 'volunteers.skills')).fill('تنظيم الفعاليات');
  await page.getByLabel(t('ar', 'volunteers.areas')).fill('الرياض');
  await page.getByLabel(t('ar', 'volunteers.availability')).selectOption('weekends');
  await page.getByLabel(t('ar', 'volunteers.sms_consent')).check();
  await page.getByRole('button', { name: t('ar', 'volunteers.send_code') }).click();
  await expect(page).toHaveURL(/\/volunteer\/code/);

  const row = await outboxRow(page, mobile, 'volunteer_code');
  const code = row?.match(/\b\d{6}\b/)?.[0];
  expect(code, 'a code in the outbox').toBeTruthy();
  await page.getByLabel(t('ar', 'sign_in.code_label')).fill(code!);
  await page.getByRole('button', { name: t('ar', 'volunteers.confirm') }).click();
  await expect(page.getByText(t('ar', 'volunteers.sent'))).toBeVisible();

  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await officer.goto('/staff/volunteers');
  await hydrated(officer);
  const item = officer.locator('li.inbox__item', { hasText: name });
  await expect(item).toBeVisible();
  await item.getByLabel(t('ar', 'volunteers.message')).fill('أهلًا بك، نلتقي يوم الأحد');
  await item.getByRole('button', { name: t('ar', 'volunteers.accept'), exact: true }).click();
  await expect(item.getByRole('button', { name: t('ar', 'volunteers.give_account') })).toBeVisible();

  const sms = await outboxRow(officer, mobile, 'volunteer_decision');
  expect(sms, 'the acceptance SMS is queued').toBeTruthy();
  expect(sms).toContain('نلتقي يوم الأحد');
});
