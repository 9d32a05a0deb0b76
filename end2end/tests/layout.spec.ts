// The layout on a phone (issue 17): what a person saw wrong at 360 × 740,
// each checked where a browser can see it.
import { expect, test, Page } from '@playwright/test';
import { arabic, english, nationalId, signIn, submitRequest } from './journey';
import { hydrated, staffMenu, staffPage } from './staff-journey';
import { t } from './words';

/** Height of the first element matching `selector`, in CSS pixels. */
async function heightOf(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).first().boundingBox();
  return box?.height ?? 0;
}

test('the header leaves the page to the page, and the wizard holds at 320 px in English', async ({ page, baseURL }) => {
  await page.goto('/');
  // It took 210 px (28 % of the screen) before.
  expect(await heightOf(page, '.site-header')).toBeLessThanOrEqual(150);
  // On a first visit the consent banner and the header leave the page's title on the first screen.
  const title = await page.getByRole('heading', { level: 1 }).boundingBox();
  expect(title!.y + title!.height).toBeLessThan(740);

  await page.context().addCookies([{ name: 'awn_lang', value: 'en', url: baseURL! }]);
  await page.setViewportSize({ width: 320, height: 740 });
  const mobile = '0558' + String(Date.now()).slice(-6);
  await signIn(page, english, mobile);
  await page.goto('/requests/new');
  await hydrated(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  // The bar's labels are for screen readers on a phone; the step's name is the heading.
  await expect(page.getByRole('heading', { level: 2, name: t('en', 'wizard.step_applicant') })).toBeVisible();
  // Required fields carry a star, the form says what it means, and the star is not part of the name.
  await expect(page.getByText(t('en', 'wizard.required_note'))).toBeVisible();
  await expect(page.locator('.field__label-line', { hasText: t('en', 'wizard.full_name') }).locator('.field__required')).toBeVisible();
  await expect(page.getByRole('textbox', { name: t('en', 'wizard.full_name'), exact: true })).toHaveAttribute('required', '');
});

test('an emptied mobile number shows the one the server kept, and Back is not Next', async ({ page }) => {
  const mobile = '0559' + String(Date.now()).slice(-6);
  await signIn(page, arabic, mobile);
  await page.goto('/requests/new');
  await hydrated(page);
  const field = page.getByRole('textbox', { name: t('ar', 'wizard.mobile') });
  await expect(field).toHaveValue(mobile);
  await field.fill('');
  await page.getByRole('button', { name: arabic.next }).click();
  // The step comes back with mistakes (the name is missing) and the account's number.
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(field).toHaveValue(mobile);

  await page.getByRole('textbox', { name: arabic.fullName }).fill('فاطمة علي حسن الشهري');
  await page.getByRole('textbox', { name: arabic.nationalId }).fill(nationalId('1' + String(Date.now()).slice(-8)));
  await page.getByRole('textbox', { name: arabic.birthDate }).fill('1990-07-01');
  await page.getByRole('textbox', { name: arabic.city }).fill('الرهاة');
  await page.getByRole('textbox', { name: arabic.district, exact: true }).fill('حي النخيل');
  await page.getByRole('button', { name: arabic.next }).click();
  await expect(page.getByText(arabic.step(2))).toBeVisible();
  const look = (name: string) =>
    page.getByRole('button', { name, exact: true }).evaluate((b) => getComputedStyle(b).backgroundColor);
  expect(await look(t('ar', 'wizard.back'))).not.toBe(await look(t('ar', 'wizard.next')));
  // One width rule: on a phone a form's buttons are as wide as the form, here and at sign-in.
  for (const name of [t('ar', 'wizard.back'), t('ar', 'wizard.next')]) {
    const widths = await page.getByRole('button', { name, exact: true }).evaluate((b) => [b.getBoundingClientRect().width, b.closest('form')!.getBoundingClientRect().width]);
    expect(Math.abs(widths[0] - widths[1])).toBeLessThan(2);
  }
});

test('dates wrap only between calendars, ordered lists count in the chosen digits, disclosures show their state', async ({ page, baseURL }) => {
  const mobile = '0551' + String(Date.now()).slice(-6);
  await signIn(page, arabic, mobile);
  await submitRequest(page, arabic, mobile, nationalId('1' + String(Date.now()).slice(-8)));
  await page.setViewportSize({ width: 320, height: 740 });
  // Each calendar's date is one piece: it moves to the next line whole.
  const pieces = await page.locator('.dual-date time, .dual-date__hijri').evaluateAll((els) => els.map((e) => e.getClientRects().length));
  expect(pieces.length).toBeGreaterThan(2);
  expect(pieces.every((n) => n === 1)).toBe(true);

  await page.context().addCookies([{ name: 'awn_digits', value: 'arab', url: baseURL! }]);
  await page.goto('/');
  expect(await page.locator('ol').first().evaluate((ol) => getComputedStyle(ol).listStyleType)).toBe('arabic-indic');

  await page.goto('/faq');
  const marker = await page.locator('summary').first().evaluate((s) => getComputedStyle(s, '::before').content);
  expect(marker).not.toBe('none');
});

test('staff: one line of bar, the queue row readable, facts aligned, the assign form in a card, messages with their author', async ({ browser, baseURL }) => {
  const applicant = await browser.newPage({ baseURL });
  const mobile = '0552' + String(Date.now()).slice(-6);
  await signIn(applicant, arabic, mobile);
  await submitRequest(applicant, arabic, mobile, nationalId('2' + String(Date.now()).slice(-8)));
  const reference = (await applicant.locator('h1 .reference').textContent())!.trim();
  await applicant.context().close();

  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  // The bar was ~300 px of links; the sections are behind the menu now.
  expect(await heightOf(officer, '.staff-bar')).toBeLessThanOrEqual(120);
  await expect((await staffMenu(officer)).getByRole('link', { name: t('ar', 'inquiries.title') })).toBeVisible();
  await officer.goto(`/staff?q=${encodeURIComponent(reference)}`);
  await hydrated(officer);
  const row = officer.locator('.queue__item', { hasText: reference });
  const name = await row.locator('.queue__name').boundingBox();
  const ref = await row.locator('.queue__reference').boundingBox();
  const item = await row.boundingBox();
  expect(ref!.y).toBeGreaterThanOrEqual(name!.y + name!.height - 1);
  // The name has the row's width, and the state is a pill, not a bar.
  expect(name!.width).toBeGreaterThan(item!.width / 2);
  expect((await row.locator('.status-badge').boundingBox())!.width).toBeLessThan(item!.width * 0.7);

  await row.locator('.queue__link').click();
  await expect(officer.getByRole('heading', { level: 1 })).toContainText(reference);
  await hydrated(officer);
  // A right-to-left list: the LTR values end where the Arabic ones do.
  const ends = await officer.locator('dl.facts dd:has(bdi[dir="ltr"])').first().evaluate((dd) => {
    const value = dd.querySelector('bdi')!.getBoundingClientRect();
    return [value.right, dd.getBoundingClientRect().right, dd.getBoundingClientRect().right - dd.closest('section')!.querySelector('h2')!.getBoundingClientRect().right];
  });
  expect(Math.abs(ends[0] - ends[1])).toBeLessThan(2);
  // …and the list starts where its heading does (it was indented 24 px).
  expect(Math.abs(ends[2])).toBeLessThan(2);
  await expect(officer.locator('section.card #form-assign')).toBeVisible();
  await officer.getByRole('textbox', { name: t('ar', 'staff.message_label') }).fill('نرجو إرفاق صورة عقد الإيجار.');
  await officer.getByRole('button', { name: t('ar', 'staff.send_message') }).click();
  await expect(officer.locator('.messages__item--staff .messages__author').first()).toHaveText(t('ar', 'staff.message_from_staff'));
});
