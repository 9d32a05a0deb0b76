// Shared steps of the beneficiary journeys: sign in with the code from the
// development outbox, fill the wizard, submit.
import { expect, Page } from '@playwright/test';
import { t } from './words';

export type Words = {
  mobileLabel: string; sendCode: string; codeLabel: string; verify: string;
  newRequest: string; next: string; submit: string;
  fullName: string; nationalId: string; birthDate: string; email: string; city: string; district: string;
  members: string; income: string; rented: string; foodBasket: string; description: string;
  chooseFile: string; upload: string; declaration: string; signature: string; smsConsent: string;
  step: (n: number) => string; submitted: string; statusSubmitted: string;
};

export const arabic: Words = {
  mobileLabel: t('ar', 'sign_in.mobile_label'), sendCode: t('ar', 'sign_in.send_code'), codeLabel: t('ar', 'sign_in.code_label'), verify: t('ar', 'sign_in.verify'),
  newRequest: t('ar', 'my_requests.new_request'), next: t('ar', 'wizard.next'), submit: t('ar', 'wizard.submit'),
  fullName: t('ar', 'wizard.full_name'), nationalId: t('ar', 'wizard.national_id'), birthDate: t('ar', 'wizard.birth_date'),
  email: t('ar', 'wizard.email'), city: t('ar', 'wizard.city'), district: t('ar', 'wizard.district'),
  members: t('ar', 'wizard.household_members'), income: t('ar', 'wizard.monthly_income'), rented: t('ar', 'wizard.housing_rented'), foodBasket: 'سلة غذائية',
  description: t('ar', 'wizard.description'), chooseFile: t('ar', 'documents.choose'), upload: t('ar', 'documents.upload'),
  declaration: t('ar', 'wizard.declaration_accept'), signature: t('ar', 'wizard.signature'),
  smsConsent: t('ar', 'wizard.consent_sms'),
  step: (n) => t('ar', 'wizard.progress', { current: n, total: 5 }), submitted: t('ar', 'tracking.submitted_notice'), statusSubmitted: t('ar', 'status.submitted'),
};

export const english: Words = {
  mobileLabel: t('en', 'sign_in.mobile_label'), sendCode: t('en', 'sign_in.send_code'), codeLabel: t('en', 'sign_in.code_label'), verify: t('en', 'sign_in.verify'),
  newRequest: t('en', 'my_requests.new_request'), next: t('en', 'wizard.next'), submit: t('en', 'wizard.submit'),
  fullName: t('en', 'wizard.full_name'), nationalId: t('en', 'wizard.national_id'), birthDate: t('en', 'wizard.birth_date'),
  email: t('en', 'wizard.email'), city: t('en', 'wizard.city'), district: t('en', 'wizard.district'),
  members: t('en', 'wizard.household_members'), income: t('en', 'wizard.monthly_income'), rented: t('en', 'wizard.housing_rented'), foodBasket: 'Food basket',
  description: t('en', 'wizard.description'), chooseFile: t('en', 'documents.choose'), upload: t('en', 'documents.upload'),
  declaration: t('en', 'wizard.declaration_accept'), signature: t('en', 'wizard.signature'),
  smsConsent: t('en', 'wizard.consent_sms'),
  step: (n) => t('en', 'wizard.progress', { current: n, total: 5 }), submitted: t('en', 'tracking.submitted_notice'), statusSubmitted: t('en', 'status.submitted'),
};

/** A valid national ID: the 9-digit prefix completed with its Luhn check digit. */
export function nationalId(prefix: string): string {
  for (let check = 0; check < 10; check++) {
    const candidate = prefix + check;
    const sum = [...candidate].reduce((total, c, i) => {
      const d = Number(c);
      if (i % 2 === 0) { const doubled = d * 2; return total + Math.floor(doubled / 10) + (doubled % 10); }
      return total + d;
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('no check digit');
}

/** The newest sign-in code sent to a number (05…), from /dev/outbox. */
export async function codeFor(page: Page, mobile: string): Promise<string> {
  const e164 = '+966' + mobile.slice(1);
  const html = await (await page.request.get('/dev/outbox')).text();
  const row = html.split('<tr ').find((r) => r.includes(`data-recipient="${e164}"`) && r.includes('data-purpose="sign_in_code"'));
  const code = row?.match(/\b\d{6}\b/)?.[0];
  if (!code) throw new Error(`no code for ${e164}`);
  return code;
}

export async function signIn(page: Page, w: Words, mobile: string) {
  await page.goto('/sign-in');
  await page.getByLabel(w.mobileLabel).fill(mobile);
  await page.getByRole('button', { name: w.sendCode }).click();
  await expect(page).toHaveURL(/\/sign-in\/code$/);
  await page.getByLabel(w.codeLabel).fill(await codeFor(page, mobile));
  await page.getByRole('button', { name: w.verify }).click();
  await expect(page).toHaveURL(/\/requests$/);
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/**
 * From "My requests" through every step to the tracking page. `javascript`: the
 * page hydrates after the upload's full reload, and the journey waits for it as
 * a person waits for a page to settle; clicking while hydration moved the layout
 * once landed on the language switch and turned the journey's language around.
 */
export async function submitRequest(page: Page, w: Words, mobile: string, idNumber: string, javascript = true) {
  await page.getByRole('link', { name: w.newRequest }).click();
  await expect(page).toHaveURL(/\/requests\/new$/);
  await expect(page.getByText(w.step(1))).toBeVisible();
  await page.getByLabel(w.fullName).fill('فاطمة علي حسن الشهري');
  await page.getByLabel(w.nationalId).fill(idNumber);
  await page.getByLabel(w.birthDate).fill('1990-07-01');
  await page.getByLabel(w.email, { exact: true }).fill('fatimah@example.org');
  await page.getByLabel(w.city).fill('الرهاة');
  await page.getByLabel(w.district, { exact: true }).fill('حي النخيل');
  await page.getByRole('button', { name: w.next }).click();

  await expect(page.getByText(w.step(2))).toBeVisible();
  await page.getByLabel(w.members).fill('٥');
  await page.getByLabel(w.income).fill('2500');
  await page.getByLabel(w.rented).check();
  await page.getByRole('button', { name: w.next }).click();

  await expect(page.getByText(w.step(3))).toBeVisible();
  await page.getByLabel(w.foodBasket).check();
  await page.getByLabel(w.description).fill('نحتاج إلى سلة غذائية شهرية لأسرة من خمسة أفراد.');
  await page.getByRole('button', { name: w.next }).click();

  await expect(page.getByText(w.step(4))).toBeVisible();
  await page.getByLabel(w.chooseFile).setInputFiles({ name: 'هوية.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: w.upload }).click();
  await expect(page.getByRole('link', { name: 'هوية.png' })).toBeVisible();
  if (javascript) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
  }
  await page.getByRole('button', { name: w.next }).click();

  await expect(page.getByText(w.step(5))).toBeVisible();
  await page.getByLabel(w.declaration).check();
  await page.getByLabel(w.signature).fill('فاطمة علي حسن الشهري');
  await page.getByLabel(w.smsConsent).check();
  await page.getByRole('button', { name: w.submit }).click();

  await expect(page).toHaveURL(/\/requests\/\d+\?submitted=1$/);
  await expect(page.getByText(w.submitted)).toBeVisible();
  await expect(page.locator('.status-badge')).toHaveText(w.statusSubmitted);
  await expect(page.locator('h1 .reference')).toContainText('AWN-');
  await expect(page.locator('.decision-due .dual-date__hijri')).toBeVisible();
}
