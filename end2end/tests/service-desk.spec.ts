// The service desk on a phone-sized screen: a visitor's question answered and
// published to the FAQ (Arabic), a beneficiary's objection resolved (English),
// and the question form without JavaScript.
import { test, expect } from '@playwright/test';
import { english, nationalId, signIn, submitRequest } from './journey';
import { hydrated, staffPage } from './staff-journey';

test('a visitor asks, an officer answers and publishes, and the FAQ finds it', async ({ browser, page, baseURL }) => {
  test.setTimeout(120_000);
  const question = 'هل يمكن تقديم طلب دعم لوالدتي المسنّة نيابة عنها؟';
  await page.goto('/faq');
  await hydrated(page);
  await page.getByLabel('رقم الجوال').fill('0501110040');
  await page.getByRole('textbox', { name: 'سؤالك' }).fill(question);
  await page.getByRole('button', { name: 'إرسال السؤال' }).click();
  await expect(page.getByText('وصلنا سؤالك، وسيصلك الرد.')).toBeVisible();

  // The officer moves to the inbox inside the workspace (no full reload).
  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await officer.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await officer.getByRole('link', { name: 'الاستفسارات' }).click();
  await expect(officer).toHaveURL(/\/staff\/inquiries$/);
  expect(await officer.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  const item = officer.locator('.inbox__item', { hasText: question });
  await item.getByLabel('الرد', { exact: true }).fill('نعم، يقدّمه أحد أفراد الأسرة مع صورة من هويتها ووكالة أو تفويض.');
  await item.getByRole('button', { name: 'إرسال الرد' }).click();
  const answered = officer.locator('.inbox__item', { hasText: question });
  await expect(answered.locator('.inbox__answer')).toContainText('وكالة أو تفويض');
  await answered.getByText('نشر في الأسئلة الشائعة').click();
  await answered.getByLabel('السؤال كما يُنشر').fill('هل يمكن تقديم طلب دعم نيابة عن أحد الوالدين؟');
  // Wait for the publication itself, not for the page: the FAQ is read next.
  const published = officer.waitForResponse((r) => r.url().includes('/api/staff/inquiries/publish'));
  await answered.getByRole('button', { name: 'نشر', exact: true }).click();
  expect((await published).status()).toBe(200);
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
  await page.getByRole('link', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await signIn(page, english, '0501110041');
  await submitRequest(page, english, '0501110041', nationalId('100000041'));
  await hydrated(page);
  await page.getByRole('link', { name: 'A complaint about this request' }).click();
  await expect(page).toHaveURL(/\/complaints\?request=\d+$/);
  await expect(page.getByLabel('About', { exact: true })).not.toHaveValue('');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#field-body-error')).toContainText('This field is required.');
  await page.getByLabel('Your complaint or objection').fill('Nobody has contacted me about my request yet.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('We received your complaint and will tell you the decision.')).toBeVisible();
  await expect(page.locator('.records__item')).toContainText('Received');

  const officer = await staffPage(browser, 'relations_officer', baseURL!);
  await officer.getByRole('link', { name: 'الشكاوى' }).click();
  const complaint = officer.locator('.complaint', { hasText: 'Nobody has contacted me' });
  await complaint.getByRole('button', { name: 'بدء المراجعة' }).click();
  await expect(officer.locator('.complaint', { hasText: 'Nobody has contacted me' }).locator('.status-badge')).toHaveText('قيد المراجعة');
  const inReview = officer.locator('.complaint', { hasText: 'Nobody has contacted me' });
  await inReview.getByLabel('القرار وسببه (يقرؤه المستفيد)').fill('We called you today; your file goes to the researcher this week.');
  await inReview.getByRole('button', { name: 'إصدار القرار' }).click();
  await expect(officer.locator('.complaint', { hasText: 'Nobody has contacted me' }).locator('.status-badge')).toHaveText('صدر القرار');

  await page.goto('/complaints');
  await expect(page.locator('.records__item')).toContainText('Decided');
  await expect(page.locator('.complaint__resolution')).toContainText('your file goes to the researcher this week');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a question without a way to answer it is refused with its text kept, then sent', async ({ page }) => {
    const question = 'ما المستندات المطلوبة لطلب سلة غذائية؟';
    await page.goto('/faq');
    await page.getByRole('textbox', { name: 'سؤالك' }).fill(question);
    await page.getByRole('button', { name: 'إرسال السؤال' }).click();
    await expect(page.locator('#field-mobile-error')).toContainText('أدخل رقم جوال أو بريدًا إلكترونيًا');
    await expect(page.getByRole('textbox', { name: 'سؤالك' })).toHaveValue(question);
    await page.getByLabel('البريد الإلكتروني').fill('asker@example.org');
    await page.getByRole('button', { name: 'إرسال السؤال' }).click();
    await expect(page).toHaveURL(/\/faq\?asked=1$/);
    await expect(page.getByText('وصلنا سؤالك، وسيصلك الرد.')).toBeVisible();
  });
});

test('an admin adds a library document with two versions and downloads the reports', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const admin = await staffPage(browser, 'admin', baseURL!);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('مساحة العمل');
  await admin.getByRole('link', { name: 'المكتبة المرجعية' }).first().click();
  await expect(admin).toHaveURL(/\/staff\/library$/);
  await admin.getByLabel('النوع').selectOption('support_policy_guide');
  await admin.getByLabel('العنوان').fill('دليل سياسة دعم المستفيدين');
  await admin.getByRole('button', { name: 'إنشاء الوثيقة' }).click();
  await expect(admin).toHaveURL(/\/staff\/library\/\d+$/);
  await hydrated(admin);
  const pdf = (n: number) => ({ name: `guide-${n}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% version ${n}\n%%EOF\n`) });
  for (const [label, note] of [['1.0', 'الإصدار الأول'], ['1.1', 'تحديث مدة دراسة الطلب']]) {
    await admin.getByLabel('رقم الإصدار').fill(label);
    await admin.getByLabel('ما الذي تغيّر').fill(note);
    await admin.getByLabel('الملف', { exact: true }).setInputFiles(pdf(Number(label.replace('.', ''))));
    await admin.getByRole('button', { name: 'رفع الإصدار' }).click();
    await expect(admin.locator('.library__version--current')).toContainText(label);
    await hydrated(admin);
  }
  await expect(admin.locator('.library__version')).toHaveCount(2);
  // The same label again is refused, with a message by the field.
  await admin.getByLabel('رقم الإصدار').fill('1.1');
  await admin.getByLabel('الملف', { exact: true }).setInputFiles(pdf(3));
  await admin.getByRole('button', { name: 'رفع الإصدار' }).click();
  await expect(admin.locator('#field-version_label-error')).toContainText('هذا موجود من قبل');
  await expect(admin.locator('.library__version')).toHaveCount(2);
  const download = admin.waitForEvent('download');
  await admin.locator('.library__version').last().getByRole('link').click();
  expect((await download).suggestedFilename()).toBe('guide-10.pdf');

  await admin.goto('/staff/reports');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('التقارير');
  const csv = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'تنزيل CSV' }).click();
  expect((await csv).suggestedFilename()).toMatch(/\.csv$/);
  const xlsx = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'تنزيل Excel' }).click();
  expect((await xlsx).suggestedFilename()).toMatch(/\.xlsx$/);
});
