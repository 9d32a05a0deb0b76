// Households as lists of people, and each person known once (issue 15), on a
// phone in Arabic: a mother applies listing her son in the household; the son
// applies himself from his own phone; a committee member opens the mother's
// case, sees the household and the possible duplicate, and confirms it is the
// same person. The mother's tracking page says nothing of it.
import { test, expect } from '@playwright/test';
import { arabic as w, nationalId, signIn, submitRequest } from './journey';
import { hydrated, staffPage } from './staff-journey';
import { t } from './words';

test('two requests from one family are shown to the committee as a possible duplicate', async ({ browser, page, baseURL }) => {
  test.setTimeout(180_000);
  const sonId = nationalId('100000160');

  // The mother, with her son as a member of the household.
  await signIn(page, w, '0501110160');
  await hydrated(page);
  await page.getByRole('link', { name: w.newRequest }).click();
  await expect(page.getByText(w.step(1))).toBeVisible();
  await page.getByLabel(w.fullName).fill('مريم سالم علي الغامدي');
  await page.getByLabel(w.nationalId).fill(nationalId('100000161'));
  await page.getByLabel(w.birthDate).fill('1972-02-03');
  await page.getByLabel(w.city).fill('الرهاة');
  await page.getByLabel(w.district, { exact: true }).fill('حي النخيل');
  await page.getByRole('button', { name: w.next }).click();

  await expect(page.getByText(w.step(2))).toBeVisible();
  await page.getByLabel(w.members).fill('3');
  await page.getByLabel(w.income).fill('1800');
  await page.getByLabel(w.rented).check();
  await expect(page.getByRole('group', { name: t('ar', 'household.members') })).toBeVisible();
  await page.getByLabel(t('ar', 'household.member_name', { n: 1 })).fill('خالد سعد علي الغامدي');
  await page.getByLabel(t('ar', 'household.member_relation', { n: 1 })).selectOption('son');
  await page.getByLabel(t('ar', 'household.member_birth_date', { n: 1 })).fill('2001-05-06');
  await page.getByLabel(t('ar', 'household.member_national_id', { n: 1 })).fill(sonId);
  await page.getByRole('button', { name: w.next }).click();

  await expect(page.getByText(w.step(3))).toBeVisible();
  await page.getByLabel(w.foodBasket).check();
  await page.getByLabel(w.description).fill('نحتاج إلى سلة غذائية شهرية لأسرة من ثلاثة أفراد.');
  await page.getByRole('button', { name: w.next }).click();
  await expect(page.getByText(w.step(4))).toBeVisible();
  await page.getByRole('button', { name: w.next }).click();
  await expect(page.getByText(w.step(5))).toBeVisible();
  await page.getByLabel(w.declaration).check();
  await page.getByLabel(w.signature).fill('مريم سالم علي الغامدي');
  await page.getByRole('button', { name: w.submit }).click();
  await expect(page).toHaveURL(/\/requests\/\d+\?submitted=1$/);
  const motherRequest = new URL(page.url()).pathname.split('/').pop()!;

  // The son, from his own phone, with his own ID as the applicant's.
  const sonContext = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, locale: 'ar-SA' });
  const son = await sonContext.newPage();
  await signIn(son, w, '0501110162');
  await hydrated(son);
  await submitRequest(son, w, '0501110162', sonId);

  // A committee member opens the mother's case.
  const committee = await staffPage(browser, 'committee_member', baseURL!);
  await committee.goto(`/staff/requests/${motherRequest}`);
  await hydrated(committee);
  await expect(committee.locator('#household')).toContainText('خالد سعد علي الغامدي');
  await expect(committee.locator('#household')).toContainText(t('ar', 'household.relation_son'));
  const duplicates = committee.locator('#possible-duplicates');
  await expect(duplicates.getByRole('heading', { name: t('ar', 'duplicates.possible') })).toBeVisible();
  await expect(duplicates).toContainText(t('ar', 'duplicates.reason_national_id'));
  await duplicates.getByRole('button', { name: t('ar', 'duplicates.same_person'), exact: true }).click();
  await expect(duplicates).toContainText(t('ar', 'duplicates.status_confirmed'));

  // The mother is told nothing of it.
  await page.goto(`/requests/${motherRequest}`);
  await expect(page.locator('h1 .reference')).toContainText('AWN-');
  await expect(page.locator('body')).not.toContainText(t('ar', 'duplicates.possible'));
  await expect(page.locator('body')).not.toContainText(t('ar', 'duplicates.same_person'));
});
