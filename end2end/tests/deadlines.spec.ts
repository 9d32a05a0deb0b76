// A request that lapses (issue 14), on a phone in Arabic: staff ask for a
// missing document; the beneficiary sees by when, in both calendars, and what
// happens if it does not come; the reminder goes once; then the request
// lapses, the beneficiary is told and reads why on the tracking page.
import { test, expect, Page } from '@playwright/test';
import { arabic, nationalId, signIn, submitRequest } from './journey';
import { hydrated, staffPage } from './staff-journey';
import { t } from './words';

/** Runs what is pending about one request now (development server only). */
async function runPending(page: Page, baseURL: string, request: string, moment: 'reminder' | 'lapse') {
  const response = await page.request.post('/dev/scheduler/run', {
    form: { request, moment },
    headers: { Origin: baseURL },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

/** The purposes of the messages sent to a number (05…), from /dev/outbox. */
async function purposesFor(page: Page, mobile: string): Promise<string[]> {
  const e164 = '+966' + mobile.slice(1);
  const html = await (await page.request.get('/dev/outbox')).text();
  return html
    .split('<tr ')
    .filter((row) => row.includes(`data-recipient="${e164}"`))
    .map((row) => row.match(/data-purpose="([^"]+)"/)?.[1] ?? '');
}

test('a request waiting for a document is reminded once, then lapses and the beneficiary reads why', async ({ browser, page, baseURL }) => {
  test.setTimeout(180_000);
  // A number and an ID of its own: tests run side by side, and a number just sent a code waits.
  const mobile = '0501110043';
  await signIn(page, arabic, mobile);
  await submitRequest(page, arabic, mobile, nationalId('100000043'));
  const trackingUrl = new URL(page.url()).pathname;
  const request = trackingUrl.split('/').pop()!;

  // A relations officer asks for the lease contract.
  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await officer.goto(`/staff/requests/${request}`);
  await hydrated(officer);
  await officer.getByRole('button', { name: t('ar', 'staff.start_verification') }).click();
  await expect(officer.locator('h1 .status-badge')).toHaveClass(/status-badge--under_verification/);
  await officer.getByLabel(t('ar', 'staff.check_items_provided')).check();
  await officer.getByLabel(t('ar', 'staff.missing_message')).first().fill('نرجو إرسال صورة عقد الإيجار.');
  await officer.getByRole('button', { name: t('ar', 'staff.record_verification') }).click();
  await expect(officer.locator('h1 .status-badge')).toHaveClass(/status-badge--missing_information/);

  // The beneficiary sees by when, in both calendars, and what happens after.
  await page.goto(trackingUrl);
  const missing = page.locator('.deadline--missing');
  await expect(missing).toContainText(t('ar', 'tracking.missing_due'));
  await expect(missing.locator('.dual-date__hijri')).toBeVisible();
  await expect(missing).toContainText(t('ar', 'tracking.missing_lapse_note'));
  await expect(page.locator('.decision-due')).toContainText(t('ar', 'tracking.decision_paused'));

  // The reminder's moment: one SMS, and never a second.
  expect((await runPending(page, baseURL!, request, 'reminder')).beneficiary_reminders).toBe(1);
  expect((await runPending(page, baseURL!, request, 'reminder')).beneficiary_reminders).toBe(0);
  expect((await purposesFor(page, mobile)).filter((p) => p === 'missing_information_reminder')).toHaveLength(1);

  // Nothing came: the request lapses once, and the beneficiary is told.
  expect((await runPending(page, baseURL!, request, 'lapse')).lapses).toBe(1);
  expect((await runPending(page, baseURL!, request, 'lapse')).lapses).toBe(0);
  expect((await purposesFor(page, mobile)).filter((p) => p === 'request_lapsed')).toHaveLength(1);
  await page.goto(trackingUrl);
  await expect(page.locator('.status-badge').first()).toHaveText(t('ar', 'status.closed'));
  await expect(page.getByText('لم يصل المطلوب حتى', { exact: false })).toBeVisible();
  await expect(page.locator('.deadline--missing')).toHaveCount(0);

  // The officer who asked hears of it in "My work".
  await officer.goto('/staff/work');
  await expect(officer.getByText(t('ar', 'work.notice_lapsed'))).toBeVisible();
});
