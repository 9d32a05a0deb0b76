// The service desk on a phone-sized screen: a visitor's question answered and
// published to the FAQ (Arabic), a beneficiary's objection resolved (English),
// and the question form without JavaScript.
import { test, expect } from '@playwright/test';
import { english, nationalId, signIn, submitRequest } from './journey';
import { hydrated, staffMenu, staffPage } from './staff-journey';
import { t } from './words';

test('a visitor asks, an officer answers and publishes, and the FAQ finds it', async ({ browser, page, baseURL }) => {
  test.setTimeout(120_000);
  const question = 'هل يمكن تقديم طلب دعم لوالدتي المسنّة نيابة عنها؟';
  await page.goto('/faq');
  await hydrated(page);
  await page.getByLabel(t('ar', 'faq.mobile')).fill('0501110040');
  await page.getByRole('textbox', { name: t('ar', 'faq.question') }).fill(question);
  await page.getByRole('button', { name: t('ar', 'faq.send') }).click();
  await expect(page.getByText(t('ar', 'faq.asked'))).toBeVisible();

  // The officer moves to the inbox through the workspace's menu.
  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await (await staffMenu(officer)).getByRole('link', { name: t('ar', 'inquiries.title') }).click();
  await expect(officer).toHaveURL(/\/staff\/inquiries$/);
  const item = officer.locator('.inbox__item', { hasText: question });
  await item.getByLabel(t('ar', 'inquiries.answer_label'), { exact: true }).fill('نعم، يقدّمه أحد أفراد الأسرة مع صورة من هويتها ووكالة أو تفويض.');
  await item.getByRole('button', { name: t('ar', 'inquiries.send_answer') }).click();
  const answered = officer.locator('.inbox__item', { hasText: question });
  await expect(answered.locator('.inbox__answer')).toContainText('وكالة أو تفويض');
  await answered.getByText(t('ar', 'inquiries.publish')).click();
  await answered.getByLabel(t('ar', 'inquiries.faq_question')).fill('هل يمكن تقديم طلب دعم نيابة عن أحد الوالدين؟');
  // Wait for the publication itself, not for the page: the FAQ is read next.
  const published = officer.waitForResponse((r) => r.url().includes('/api/staff/inquiries/publish'));
  await answered.getByRole('button', { name: t('ar', 'inquiries.publish_button'), exact: true }).click();
  // A plain form post: answered with a redirect back to the inbox.
  expect((await published).status()).toBe(302);
  await expect(officer.locator('.notice--error')).toHaveCount(0);

  // Anyone finds it, spelled without hamza and with a final ha for ta marbuta.
  await page.goto('/faq?q=' + encodeURIComponent('نيابه عن احد الوالدين'));
  await expect(page.locator('.faq__question')).toHaveText(['هل يمكن تقديم طلب دعم نيابة عن أحد الوالدين؟']);
  await page.locator('.faq__question').click();
  await expect(page.locator('.faq__answer')).toContainText('وكالة أو تفويض');
});

test('English: a beneficiary objects about a request and reads the resolution', async ({ browser, page, baseURL }) => {
  test.setTimeout(150_000);
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: t('ar', 'language.switch_label') }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await signIn(page, english, '0501110041');
  await submitRequest(page, english, '0501110041', nationalId('100000041'));
  await hydrated(page);
  await page.getByRole('link', { name: t('en', 'tracking.complain') }).click();
  await expect(page).toHaveURL(/\/complaints\?request=\d+$/);
  await expect(page.getByLabel(t('en', 'complaints.about'), { exact: true })).not.toHaveValue('');
  await page.getByRole('button', { name: t('en', 'complaints.send') }).click();
  await expect(page.locator('#field-body-error')).toContainText(t('en', 'field_errors.required'));
  await page.getByLabel(t('en', 'complaints.body')).fill('Nobody has contacted me about my request yet.');
  await page.getByRole('button', { name: t('en', 'complaints.send') }).click();
  await expect(page.getByText(t('en', 'complaints.sent'))).toBeVisible();
  await expect(page.locator('.records__item')).toContainText(t('en', 'complaints.stage_open'));

  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await (await staffMenu(officer)).getByRole('link', { name: t('ar', 'complaints.staff_title') }).click();
  const complaint = officer.locator('.complaint', { hasText: 'Nobody has contacted me' });
  await complaint.getByRole('button', { name: t('ar', 'complaints.start_review') }).click();
  await expect(officer.locator('.complaint', { hasText: 'Nobody has contacted me' }).locator('.status-badge')).toHaveText(t('ar', 'complaints.stage_in_review'));
  const inReview = officer.locator('.complaint', { hasText: 'Nobody has contacted me' });
  await inReview.getByLabel(t('ar', 'complaints.resolution_label')).fill('We called you today; your file goes to the researcher this week.');
  await inReview.getByRole('button', { name: t('ar', 'complaints.resolve') }).click();
  await expect(officer.locator('.complaint', { hasText: 'Nobody has contacted me' }).locator('.status-badge')).toHaveText(t('ar', 'complaints.stage_resolved'));

  await page.goto('/complaints');
  await expect(page.locator('.records__item')).toContainText(t('en', 'complaints.stage_resolved'));
  await expect(page.locator('.complaint__resolution')).toContainText('your file goes to the researcher this week');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a question without a way to answer it is refused with its text kept, then sent', async ({ page }) => {
    const question = 'ما المستندات المطلوبة لطلب سلة غذائية؟';
    await page.goto('/faq');
    await page.getByRole('textbox', { name: t('ar', 'faq.question') }).fill(question);
    await page.getByRole('button', { name: t('ar', 'faq.send') }).click();
    await expect(page.locator('#field-mobile-error')).toContainText(t('ar', 'form_problems.contact_required'));
    await expect(page.getByRole('textbox', { name: t('ar', 'faq.question') })).toHaveValue(question);
    await page.getByLabel(t('ar', 'faq.email')).fill('asker@example.org');
    await page.getByRole('button', { name: t('ar', 'faq.send') }).click();
    await expect(page).toHaveURL(/\/faq\?asked=1$/);
    await expect(page.getByText(t('ar', 'faq.asked'))).toBeVisible();
  });
});

test('an admin adds a library document with two versions and downloads the reports', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const admin = await staffPage(browser, 'admin', baseURL!);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(t('ar', 'staff.home_title'));
  await admin.locator('.workspace-home').getByRole('link', { name: t('ar', 'library.title') }).click();
  await expect(admin).toHaveURL(/\/staff\/library$/);
  await admin.getByLabel(t('ar', 'library.category')).selectOption('support_policy_guide');
  await admin.getByLabel(t('ar', 'library.document_title')).fill('دليل سياسة دعم المستفيدين');
  await admin.getByRole('button', { name: t('ar', 'library.create') }).click();
  await expect(admin).toHaveURL(/\/staff\/library\/\d+$/);
  await hydrated(admin);
  const pdf = (n: number) => ({ name: `guide-${n}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% version ${n}\n%%EOF\n`) });
  for (const [label, note] of [['1.0', 'الإصدار الأول'], ['1.1', 'تحديث مدة دراسة الطلب']]) {
    await admin.getByLabel(t('ar', 'library.version_label')).fill(label);
    await admin.getByLabel(t('ar', 'library.change_note')).fill(note);
    await admin.getByLabel(t('ar', 'library.file'), { exact: true }).setInputFiles(pdf(Number(label.replace('.', ''))));
    await admin.getByRole('button', { name: t('ar', 'library.upload') }).click();
    await expect(admin.locator('.library__version--current')).toContainText(label);
    await hydrated(admin);
  }
  await expect(admin.locator('.library__version')).toHaveCount(2);
  // The same label again is refused, with a message by the field.
  await admin.getByLabel(t('ar', 'library.version_label')).fill('1.1');
  await admin.getByLabel(t('ar', 'library.file'), { exact: true }).setInputFiles(pdf(3));
  await admin.getByRole('button', { name: t('ar', 'library.upload') }).click();
  await expect(admin.locator('#field-version_label-error')).toContainText(t('ar', 'form_problems.duplicate'));
  await expect(admin.locator('.library__version')).toHaveCount(2);
  const download = admin.waitForEvent('download');
  await admin.locator('.library__version').last().getByRole('link').click();
  expect((await download).suggestedFilename()).toBe('guide-10.pdf');

  await admin.goto('/staff/reports');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(t('ar', 'reports.title'));
  const csv = admin.waitForEvent('download');
  await admin.getByRole('link', { name: t('ar', 'reports.download_csv') }).click();
  expect((await csv).suggestedFilename()).toMatch(/\.csv$/);
  const xlsx = admin.waitForEvent('download');
  await admin.getByRole('link', { name: t('ar', 'reports.download_xlsx') }).click();
  expect((await xlsx).suggestedFilename()).toMatch(/\.xlsx$/);
});
