// The sweep (issue 17): every page state, public, beneficiary and staff, in
// Arabic and English, at 360 and 320 px, hydrated. Each fails on a console
// error or panic, a hydration mismatch, horizontal overflow (at 360 px also with
// text at 200 %), an axe-core violation (WCAG 2.2 AA and best practice) or a
// missing title. Every problem
// of a group is listed at once, so one run says everything that is wrong.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, Browser, Page } from '@playwright/test';
import { arabic, nationalId, signIn, submitRequest } from './journey';
import { createStaff, hydrated, totpNow } from './staff-journey';
import { t, Language } from './words';

const WIDTHS = [360, 320];
let base = '';
const LANGUAGES: Language[] = ['ar', 'en'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const PUBLIC_PAGES = [
  '/', '/privacy', '/faq', '/sign-in', '/suggestions', '/privacy-violation', '/privacy-choices',
  '/volunteer', '/staff/sign-in', '/no-such-page',
];
const BENEFICIARY_PAGES = ['/requests', '/requests/new', '/my-data', '/complaints'];
// Each workspace section once, under a role that may open it.
const STAFF_PAGES: [string, string[]][] = [
  ['relations_officer', ['/staff', '/staff/work', '/staff/intake', '/staff/inquiries', '/staff/complaints', '/staff/volunteers', '/staff/supporters', '/staff/members', '/staff/account']],
  ['social_researcher', ['/staff', '/staff/library']],
  ['committee_member', ['/staff']],
  ['service_officer', ['/staff']],
  ['privacy_officer', ['/staff/privacy-reports', '/staff/disclosures', '/staff/data-requests', '/staff/audit']],
  ['admin', ['/staff', '/staff/reports', '/staff/privacy-policy', '/staff/news', '/staff/satisfaction', '/staff/surveys', '/staff/improvements', '/staff/calendar', '/staff/feedback']],
  ['consultant', ['/staff']],
  ['volunteer', ['/staff', '/staff/intake']],
];

/** What is wrong with one page state, in words; empty when nothing is. */
async function problemsOf(page: Page, path: string, language: Language, width: number): Promise<string[]> {
  const where = `${path} [${language} ${width}px]`;
  const problems: string[] = [];
  // The not-found page is answered 404 on purpose; Chromium logs the status.
  const expected404 = path === '/no-such-page';
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() !== 'error') return;
    if (expected404 && m.text().includes('status of 404')) return;
    problems.push(`${where}: console error: ${m.text().slice(0, 300)}`);
  };
  const onError = (e: Error) => problems.push(`${where}: page error: ${e.message.slice(0, 300)}`);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    await page.setViewportSize({ width, height: 740 });
    await page.context().addCookies([{ name: 'awn_lang', value: language, url: base }]);
    await page.goto(path);
    await hydrated(page);
    // A moment for effects after hydration (a panic comes late).
    await page.waitForTimeout(150);
    const title = (await page.title()).trim();
    if (!title) problems.push(`${where}: no title`);
    // Against the width set, not window.innerWidth: a phone browser zooms out to
    // fit what overflows, and innerWidth grows with it.
    const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - width;
    if (overflow > 0) problems.push(`${where}: ${overflow}px wider than the screen`);
    const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    for (const v of axe.violations) {
      const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help} at ${targets}`);
    }
    // Large text (WCAG 1.4.4): every size is in rem, so doubling the root's size
    // is the browser's text size at 200 %. Nothing may need a sideways scroll.
    if (width === 360) {
      await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%', 'important'));
      const wider = (await page.evaluate(() => document.documentElement.scrollWidth)) - width;
      if (wider > 0) problems.push(`${where} at 200 % text: ${wider}px wider than the screen`);
    }
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
  return problems;
}

async function sweep(page: Page, paths: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const language of LANGUAGES) {
    for (const width of WIDTHS) {
      for (const path of paths) problems.push(...(await problemsOf(page, path, language, width)));
    }
  }
  return problems;
}

async function staffSignedIn(browser: Browser, role: string, baseURL: string): Promise<Page> {
  const account = createStaff(role);
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, locale: 'ar-SA' });
  const page = await context.newPage();
  await page.goto('/staff/sign-in');
  await page.getByLabel(t('ar', 'staff.username')).fill(account.username);
  await page.getByLabel(t('ar', 'staff.password')).fill(account.password);
  if (account.secret) await page.getByLabel(t('ar', 'staff.totp_code')).fill(totpNow(account.secret));
  await page.getByRole('button', { name: t('ar', 'staff.sign_in'), exact: true }).click();
  // The policy gate is a page state of its own.
  await expect(page.getByRole('button', { name: t('ar', 'staff.policy_accept') })).toBeVisible();
  return page;
}

test.describe('the sweep', () => {
  test.describe.configure({ timeout: 600_000 });

  test.beforeEach(({ baseURL }) => {
    base = baseURL!;
  });

  test('public pages', async ({ page }) => {
    expect(await sweep(page, PUBLIC_PAGES)).toEqual([]);
  });

  test('the beneficiary’s pages', async ({ page }) => {
    const mobile = '0553' + String(Date.now()).slice(-6);
    await signIn(page, arabic, mobile);
    await submitRequest(page, arabic, mobile, nationalId('1' + String(Date.now()).slice(-8)));
    const tracking = new URL(page.url()).pathname;
    expect(await sweep(page, [...BENEFICIARY_PAGES, tracking])).toEqual([]);
  });

  // A request to open (its case page and the beneficiary's file) and a violation report.
  const casePages: string[] = [];
  test.beforeAll(async ({ browser }) => {
    const baseURL = test.info().project.use.baseURL;
    const applicant = await browser.newPage({ baseURL });
    const mobile = '0554' + String(Date.now()).slice(-6);
    await signIn(applicant, arabic, mobile);
    await submitRequest(applicant, arabic, mobile, nationalId('2' + String(Date.now()).slice(-8)));
    casePages.push(`/staff/requests/${new URL(applicant.url()).pathname.split('/').pop()}`);
    // A violation report, so the privacy officer's list is never empty.
    await applicant.goto('/privacy-violation');
    await applicant.getByLabel(t('ar', 'violation.description')).fill('نُشرت قائمة بأسماء مستفيدين في مجموعة عامة اليوم.');
    await applicant.getByRole('button', { name: t('ar', 'violation.send') }).click();
    await expect(applicant.getByText(t('ar', 'violation.sent'))).toBeVisible();
    await applicant.context().close();
  });

  for (const [role, paths] of STAFF_PAGES) {
    test(`the workspace as ${role}`, async ({ browser, baseURL }) => {
      const problems: string[] = [];
      const page = await staffSignedIn(browser, role, baseURL!);
      problems.push(...(await problemsOf(page, '/staff', 'ar', 360)).map((p) => `gate: ${p}`));
      await page.goto('/staff');
      await page.getByRole('button', { name: t('ar', 'staff.policy_accept') }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const more = [...paths];
      if (role === 'social_researcher' || role === 'committee_member') {
        more.push(casePages[0]);
        await page.goto(casePages[0]);
        const file = await page.locator('a[href^="/staff/beneficiaries/"]').first().getAttribute('href');
        if (file) more.push(file);
      }
      problems.push(...(await sweep(page, more)));
      await page.context().close();
      expect(problems).toEqual([]);
    });
  }
});
