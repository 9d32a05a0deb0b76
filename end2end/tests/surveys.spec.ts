// Satisfaction surveys on a phone-sized screen: an admin builds and publishes a
// survey sent after each service; a service is delivered; the beneficiary opens
// the link from the SMS and rates the service (Arabic), and the dashboard counts
// the rating; in English, without JavaScript, a beneficiary rates a request from
// its tracking page.
import { test, expect, Page } from '@playwright/test';
import { arabic, english, nationalId, signIn, submitRequest } from './journey';
import { hydrated, staffMenu, staffPage } from './staff-journey';
import { t } from './words';

/** The path of the newest survey link sent to a number (05…), from /dev/outbox. */
async function surveyLinkFor(page: Page, mobile: string): Promise<string> {
  const e164 = '+966' + mobile.slice(1);
  const html = await (await page.request.get('/dev/outbox')).text();
  const row = html.split('<tr ').find((r) => r.includes(`data-recipient="${e164}"`) && r.includes('data-purpose="survey_invitation"'));
  const path = row?.match(/\/survey\/[A-Za-z0-9_-]+/)?.[0];
  if (!path) throw new Error(`no survey link for ${e164}`);
  return path;
}

/** Staff steps taken through the workspace's server functions, as the hydrated app calls them. */
async function deliverService(staff: Record<string, Page>, request: string) {
  const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10);
  const steps: [string, string, Record<string, string>][] = [
    ['relations_officer', 'staff/case/start_verification', {}],
    ['relations_officer', 'staff/case/verify', { items_provided: '1', data_matches_documents: '1', documents_valid_on_submission: '1', referral_note: 'زيارة' }],
    ['social_researcher', 'staff/case/study', { method: 'phone_call', findings: 'محتاجة', recommendation: 'accept' }],
    ['committee_member', 'staff/case/decide', { decision: 'accept', support: 'سلة غذائية' }],
    ['service_officer', 'staff/case/register', {}],
    ['service_officer', 'staff/case/service', { what: 'سلة غذائية', quantity: '1', unit: 'سلة', delivered_on: today }],
  ];
  for (const [role, endpoint, fields] of steps) {
    // As the app's own calls do, from the site's origin (the cross-site check).
    const origin = new URL(staff[role].url()).origin;
    const answer = await staff[role].request.post(`/api/${endpoint}`, { form: { request, ...fields }, headers: { origin } });
    expect(await answer.text(), endpoint).toBe('null');
  }
}

async function staffTeam(browser: import('@playwright/test').Browser, baseURL: string) {
  const team: Record<string, Page> = {};
  for (const role of ['relations_officer', 'social_researcher', 'committee_member', 'service_officer']) {
    team[role] = await staffPage(browser, role, baseURL);
  }
  return team;
}

test.describe.configure({ mode: 'serial' });

test('an admin publishes a survey, a beneficiary rates the service from the SMS link, and the dashboard counts it', async ({ browser, page, baseURL }) => {
  test.setTimeout(180_000);
  const title = `رضاك عن الخدمة ${Date.now()}`;

  // The admin builds the survey in the workspace.
  const admin = await staffPage(browser, 'admin', baseURL!);
  await (await staffMenu(admin)).getByRole('link', { name: t('ar', 'surveys_admin.title') }).click();
  await expect(admin).toHaveURL(/\/staff\/surveys$/);
  await admin.getByLabel(t('ar', 'surveys_admin.title_ar')).fill(title);
  await admin.getByLabel(t('ar', 'surveys_admin.title_en')).fill('Your satisfaction');
  await admin.getByLabel(t('ar', 'surveys_admin.audience')).selectOption('service');
  await admin.getByRole('button', { name: t('ar', 'surveys_admin.create') }).click();
  await expect(admin).toHaveURL(/\/staff\/surveys\/\d+$/);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(title);
  await hydrated(admin);

  await admin.getByLabel(t('ar', 'surveys_admin.kind')).selectOption('csat');
  await admin.getByLabel(t('ar', 'surveys_admin.prompt_ar')).fill('ما مدى رضاك عن الخدمة؟');
  await admin.getByLabel(t('ar', 'surveys_admin.prompt_en')).fill('How satisfied are you with the service?');
  await admin.getByRole('button', { name: t('ar', 'surveys_admin.add') }).click();
  await expect(admin.locator('#survey-draft > li')).toHaveCount(1);
  await admin.getByLabel(t('ar', 'surveys_admin.kind')).selectOption('text');
  await admin.getByLabel(t('ar', 'surveys_admin.prompt_ar')).fill('ما الذي نحسّنه؟');
  await admin.getByLabel(t('ar', 'surveys_admin.prompt_en')).fill('What should we improve?');
  await admin.getByLabel(t('ar', 'surveys_admin.required')).uncheck();
  await admin.getByRole('button', { name: t('ar', 'surveys_admin.add') }).click();
  await expect(admin.locator('#survey-draft > li')).toHaveCount(2);
  await admin.getByRole('button', { name: t('ar', 'surveys_admin.publish') }).click();
  await expect(admin.locator('#survey-status')).toContainText('الإصدار 1');
  await admin.getByRole('button', { name: t('ar', 'surveys_admin.start_using') }).click();
  await expect(admin.locator('#survey-status')).toContainText(t('ar', 'surveys_admin.in_use'));
  const surveyId = admin.url().match(/\/staff\/surveys\/(\d+)$/)![1];

  // Before any rating: the dashboard shows none for this survey.
  await admin.goto(`/staff/satisfaction?survey=${surveyId}`);
  await expect(admin.locator('#satisfaction-overall')).toContainText('(0)');

  // A beneficiary's request is served.
  const mobile = '0501110060';
  await signIn(page, arabic, mobile);
  await submitRequest(page, arabic, mobile, nationalId('100000060'));
  const request = page.url().match(/\/requests\/(\d+)/)![1];
  await deliverService(await staffTeam(browser, baseURL!), request);

  // The SMS link opens the survey on the phone: large targets, one short page.
  await page.goto(await surveyLinkFor(page, mobile));
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText(t('ar', 'surveys.your_right'))).toBeVisible();
  // The points and the words at the scale's ends follow the digit choice alike.
  await page.context().addCookies([{ name: 'awn_digits', value: 'arab', url: baseURL! }]);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('label[for="q1-5"]')).toHaveText('٥');
  await expect(page.locator('.scale__ends').first()).toContainText('١');
  const five = page.locator('label[for="q1-5"]');
  const box = await five.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await five.click();
  await page.getByRole('textbox', { name: 'ما الذي نحسّنه؟' }).fill('التواصل كان سريعًا، شكرًا.');
  await page.getByRole('button', { name: t('ar', 'surveys.send') }).click();
  await expect(page).toHaveURL(/\/survey\/thanks$/);
  await expect(page.getByText(t('ar', 'surveys.thanks_not_punishment'))).toBeVisible();

  // The tracking page now says it was rated; the dashboard counts it.
  await page.goto(`/requests/${request}`);
  await expect(page.locator('#evaluation')).toContainText(t('ar', 'surveys.evaluated'));
  await admin.goto(`/staff/satisfaction?survey=${surveyId}`);
  await expect(admin.locator('#satisfaction-overall')).toContainText('(1)');
  // One rating is too few to show a figure (C2).
  await expect(admin.locator('#satisfaction-overall')).toContainText(t('ar', 'satisfaction.too_few_overall'));
});

test('English, without JavaScript: a beneficiary rates a request from its tracking page', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const mobile = '0501110061';
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await signIn(page, english, mobile);
  await submitRequest(page, english, mobile, nationalId('100000061'), false);
  const request = page.url().match(/\/requests\/(\d+)/)![1];
  await deliverService(await staffTeam(browser, baseURL!), request);

  await page.goto(`/requests/${request}`);
  await page.getByRole('button', { name: t('en', 'surveys.evaluate') }).click();
  await expect(page).toHaveURL(/\/survey\/[A-Za-z0-9_-]+$/);
  await expect(page.getByText('How satisfied are you with the service?')).toBeVisible();
  await page.locator('label[for="q1-4"]').click();
  await page.getByRole('button', { name: t('en', 'surveys.send') }).click();
  await expect(page).toHaveURL(/\/survey\/thanks$/);
  await expect(page.getByRole('heading', { name: t('en', 'surveys.thanks_title') })).toBeVisible();
  await page.goto(`/requests/${request}`);
  await expect(page.locator('#evaluation')).toContainText(t('en', 'surveys.evaluated'));
});
