// A birth date typed in Hijri or Gregorian (issue 17), on a phone in Arabic:
// with JavaScript the other calendar appears beside the field as the person
// types; without it, the step comes back from the server with both shown.
import { test, expect } from '@playwright/test';
import { arabic as w, nationalId, signIn } from './journey';
import { hydrated } from './staff-journey';

// 25 Dhu al-Hijjah 1410 (Umm al-Qura) is 18 July 1990.
const HIJRI = '١٤١٠/١٢/٢٥';
const GREGORIAN_BESIDE = /يوافق (18|١٨) يوليو (1990|١٩٩٠) م/;

test('with JavaScript, the other calendar follows what is typed', async ({ page }) => {
  await signIn(page, w, '0501110170');
  await hydrated(page);
  await page.getByRole('link', { name: w.newRequest }).click();
  await expect(page.getByText(w.step(1))).toBeVisible();
  // The field is an island: it follows typing once the page's bundle has hydrated it.
  await hydrated(page);
  const field = page.getByLabel(w.birthDate);
  await expect(field).toHaveAttribute('type', 'text');
  const beside = page.locator('#field-birth_date-other');
  await expect(beside).toHaveAttribute('aria-live', 'polite');

  await field.pressSequentially(HIJRI.slice(0, 7));
  await expect(beside).toBeEmpty(); // half a date: nothing, and no complaint
  await field.pressSequentially(HIJRI.slice(7));
  await expect(beside).toHaveText(GREGORIAN_BESIDE);
  await expect(field).toHaveAttribute('aria-describedby', 'field-birth_date-hint field-birth_date-other');

  // Typed in Gregorian, day first: the Hijri day beside it.
  await field.fill('');
  await expect(beside).toBeEmpty();
  await field.pressSequentially('18/07/1990');
  await expect(beside).toHaveText(/يوافق (25|٢٥) ذو الحجة (1410|١٤١٠) هـ/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a Hijri birth date comes back with its Gregorian day beside it', async ({ page }) => {
    await signIn(page, w, '0501110171');
    await page.getByRole('link', { name: w.newRequest }).click();
    await expect(page.getByText(w.step(1))).toBeVisible();
    await page.getByLabel(w.fullName).fill('نورة علي حسن الشهري');
    await page.getByLabel(w.nationalId).fill(nationalId('100000171'));
    await page.getByLabel(w.birthDate).fill(HIJRI);
    await page.getByLabel(w.city).fill('الرهاة');
    // The district left out: the step comes back from the server.
    await page.getByRole('button', { name: w.next }).click();
    await expect(page.getByText(w.step(1))).toBeVisible();
    await expect(page.locator('#field-district-error')).toBeVisible();
    await expect(page.getByLabel(w.birthDate)).toHaveValue(HIJRI);
    await expect(page.locator('#field-birth_date-other')).toHaveText(GREGORIAN_BESIDE);

    await page.getByLabel(w.district, { exact: true }).fill('حي النخيل');
    await page.getByRole('button', { name: w.next }).click();
    await expect(page.getByText(w.step(2))).toBeVisible();
  });
});
