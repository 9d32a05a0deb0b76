// The staff path on a phone-sized screen, in Arabic: a relations officer records a
// request that came by phone, verifies it and refers it; the social researcher
// records the study; a committee member accepts it; the service officer completes
// the registration and records the service; the beneficiary sees every step.
import { test, expect, Page } from '@playwright/test';
import { arabic, nationalId, signIn } from './journey';
import { createStaff, hydrated, staffMenu, staffPage } from './staff-journey';
import { t } from './words';

async function expectStatus(page: Page, code: string) {
  await expect(page.locator('h1 .status-badge')).toHaveClass(new RegExp(`status-badge--${code}`));
}

test('a phone request goes from intake to service delivered, and the beneficiary sees each step', async ({ browser, page, baseURL }) => {
  test.setTimeout(180_000);
  const mobile = '0501110030';

  // The relations officer records the call.
  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await (await staffMenu(officer)).getByRole('link', { name: t('ar', 'staff.new_intake') }).click();
  await expect(officer).toHaveURL(/\/staff\/intake$/);
  await officer.getByLabel(t('ar', 'staff.intake_channel')).selectOption('phone');
  await officer.getByLabel(arabic.fullName).fill('نورة عبدالله سالم الزهراني');
  await officer.getByLabel(arabic.nationalId).fill(nationalId('100000030'));
  await officer.getByLabel(arabic.birthDate).fill('1988-04-12');
  await officer.getByLabel(t('ar', 'wizard.mobile')).fill(mobile);
  await officer.getByLabel(arabic.city).fill('الرهاة');
  await officer.getByLabel(arabic.district, { exact: true }).fill('حي الورود');
  await officer.getByLabel(arabic.members).fill('4');
  await officer.getByLabel(arabic.income).fill('1500');
  await officer.getByLabel(arabic.rented, { exact: true }).check();
  await officer.locator('#kind-food_basket').check();
  await officer.getByLabel(arabic.description).fill('اتصلت المستفيدة تطلب سلة غذائية شهرية لأسرتها.');
  await officer.getByLabel(arabic.declaration).check();
  await officer.getByLabel(arabic.signature).fill('نورة عبدالله سالم الزهراني');
  await officer.getByLabel(arabic.smsConsent).check();
  await officer.getByRole('button', { name: t('ar', 'staff.intake_submit') }).click();
  await expect(officer).toHaveURL(/\/staff\/requests\/\d+$/);
  const caseUrl = new URL(officer.url()).pathname;
  await expectStatus(officer, 'submitted');

  // Verification, then referral to the social researcher.
  await officer.getByRole('button', { name: t('ar', 'staff.start_verification') }).click();
  await expectStatus(officer, 'under_verification');
  await officer.getByLabel(t('ar', 'staff.check_items_provided')).check();
  await officer.getByLabel(t('ar', 'staff.check_data_matches')).check();
  await officer.getByLabel(t('ar', 'staff.check_documents_valid')).check();
  await officer.getByLabel(t('ar', 'staff.referral_note')).fill('تحتاج الأسرة إلى زيارة ميدانية.');
  await officer.getByRole('button', { name: t('ar', 'staff.record_verification') }).click();
  await expectStatus(officer, 'referred_to_research');
  // No horizontal scrolling at 360 px on the case page either.
  const overflow = await officer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The social researcher records the field visit.
  const researcher = await staffPage(browser, 'social_researcher', baseURL!);
  await researcher.goto(caseUrl);
  await hydrated(researcher);
  await researcher.getByLabel(t('ar', 'staff.method')).selectOption('field_visit');
  await researcher.getByLabel(t('ar', 'staff.findings'), { exact: true }).fill('أسرة من أربعة أفراد بدخل محدود، والسكن بالإيجار.');
  await researcher.getByLabel(t('ar', 'staff.recommendation'), { exact: true }).selectOption('accept');
  await researcher.getByRole('button', { name: t('ar', 'staff.record_study') }).click();
  await expectStatus(researcher, 'with_committee');

  // A research committee member accepts it.
  const committee = await staffPage(browser, 'committee_member', baseURL!);
  await committee.goto(caseUrl);
  await hydrated(committee);
  await committee.getByLabel(t('ar', 'staff.decision_accept'), { exact: true }).check();
  await committee.getByLabel(t('ar', 'staff.support_granted')).fill('سلة غذائية شهرية لمدة ستة أشهر');
  await committee.getByRole('button', { name: t('ar', 'staff.record_decision') }).click();
  await expectStatus(committee, 'accepted');

  // The service officer opens the file and delivers the first basket.
  const serviceOfficer = await staffPage(browser, 'service_officer', baseURL!);
  await serviceOfficer.goto(caseUrl);
  await hydrated(serviceOfficer);
  await serviceOfficer.getByRole('button', { name: t('ar', 'staff.complete_registration') }).click();
  await expectStatus(serviceOfficer, 'registration_completed');
  await expect(serviceOfficer.getByText(/BEN-\d{4}-\d{6}/)).toBeVisible();
  const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10);
  await serviceOfficer.getByLabel(t('ar', 'staff.service_what')).fill('سلة غذائية');
  await serviceOfficer.getByLabel(t('ar', 'staff.service_quantity')).fill('١');
  await serviceOfficer.getByLabel(t('ar', 'staff.service_unit')).fill('سلة');
  await serviceOfficer.getByLabel(t('ar', 'staff.service_date')).fill(today);
  await serviceOfficer.getByRole('button', { name: t('ar', 'staff.record_service') }).click();
  await expectStatus(serviceOfficer, 'service_delivered');

  // The beneficiary signs in with the number given on the phone and sees every step.
  await signIn(page, arabic, mobile);
  await page.locator('.request-list__link').first().click();
  await expect(page.locator('.status-badge')).toHaveText(t('ar', 'status.service_delivered'));
  for (const step of [t('ar', 'status.submitted'), t('ar', 'status.under_verification'), t('ar', 'status.referred_to_research'), t('ar', 'status.with_committee'), t('ar', 'status.accepted'), t('ar', 'status.registration_completed')]) {
    await expect(page.locator('.timeline__status', { hasText: step }).first()).toBeVisible();
  }
});

test('without JavaScript a volunteer records a request but cannot open a file', async ({ browser, baseURL }) => {
  const account = createStaff('volunteer');
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'ar-SA' });
  const page = await context.newPage();
  await page.goto('/staff/sign-in');
  await page.getByLabel(t('ar', 'staff.username')).fill(account.username);
  await page.getByLabel(t('ar', 'staff.password')).fill(account.password);
  await page.getByRole('button', { name: t('ar', 'staff.sign_in'), exact: true }).click();
  await page.getByRole('button', { name: t('ar', 'staff.policy_accept') }).click();
  await page.goto('/staff/intake');
  // A mistake comes back with what was typed.
  await page.getByLabel(arabic.fullName).fill('سلمان فهد');
  await page.getByRole('button', { name: t('ar', 'staff.intake_submit') }).click();
  await expect(page.locator('#field-channel-error')).toBeVisible();
  await expect(page.getByLabel(arabic.fullName)).toHaveValue('سلمان فهد');
  const response = await page.goto('/staff/requests/1');
  expect(response?.status()).toBe(403);
});
