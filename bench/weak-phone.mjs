#!/usr/bin/env node
// A weak phone on a slow mobile network, first visit, in Arabic: how soon each page
// paints and how soon it becomes interactive (hydrated). Figures, not a pass/fail test.
//
//   node bench/weak-phone.mjs http://127.0.0.1:3200
//
// Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) driven by the Playwright of
// end2end/node_modules (`npm ci --prefix end2end`). Each page gets a fresh browser
// context (empty cache, no cookies but a session's where it needs one): 360×740,
// touch, device scale 2, locale ar; Chromium throttles it through CDP to 150 ms
// latency, 1.6 Mbps down, 750 kbps up and a CPU four times slower than this machine's
// (Lighthouse's mobile preset). BENCH_THROTTLE=off measures without throttling;
// BENCH_PAGE_TIMEOUT_S (60) is how long a page is given to hydrate.
//
// Per page:
//   FCP          navigation start → first contentful paint (the paint timing entry)
//   hydrated     navigation start → `data-hydrated="true"` on <body> (set by the page's
//                loader, app/src/page_scripts.rs: once the document is read on a page
//                without islands, once its islands are hydrated otherwise; a
//                MutationObserver installed before the page's own scripts records
//                performance.now() when it appears)
//   longest task the longest main-thread task (longtask entries: over 50 ms only)
//   TBT          Σ max(0, duration − 50 ms) over those tasks, from navigation start to
//                2 s after hydration (to the 60 s limit on a page that never hydrates)
//   JS+WASM      bytes of .js and .wasm that crossed the network (CDP encodedDataLength:
//                compressed as served, headers included), and how many files; "≥" while
//                still downloading. `all`: every response of the page (HTML, CSS, …) too.
//
// Pages: home, sign-in, the request wizard's first step as an anonymous visitor gets
// it (it needs a signed-in beneficiary: the anonymous visitor is sent on to /sign-in,
// and the figures are those of that visit), and the wizard's first step signed in.
// Signing in reads the SMS code from /dev/outbox, which only a server started with
// AWN_ENVIRONMENT=development has; elsewhere that row says why it is missing.
//
// Exit status: 0 whatever the figures; 2 if the server cannot be reached (or the
// browser cannot start).
//
// Also used by bench/lighthouse to get a signed-in beneficiary (no JavaScript, so
// no WASM download):
//   node bench/weak-phone.mjs --session URL                  → {"cookie":"awn_session=…"}
//   node bench/weak-phone.mjs --session URL --with-request   → …, "tracking":"/requests/N"}
// (--with-request goes through the wizard and submits a request, for its tracking page.)
// It prints the reason and exits 3 when no session can be had.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'end2end', 'package.json'));

const PAGE_TIMEOUT_MS = 1000 * Number(process.env.BENCH_PAGE_TIMEOUT_S || 60);
const AFTER_HYDRATION_MS = 2_000;
const THROTTLE = !/^(off|0|no|false)$/i.test(process.env.BENCH_THROTTLE ?? '');
const NETWORK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };
const CPU_SLOWDOWN = 4;
const PHONE = {
  viewport: { width: 360, height: 740 },
  screen: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'ar',
};

/** Installed in every page before its own scripts (CDP, so the site's CSP does not apply). */
function instrument() {
  const bench = (window.__awnBench = { hydratedAt: null, longTasks: [], errors: [] });
  const check = () => {
    if (bench.hydratedAt === null && document.body && document.body.getAttribute('data-hydrated') === 'true') {
      bench.hydratedAt = performance.now();
    }
  };
  // Attribute changes only (the parser's own attributes raise none), anywhere below
  // the document, <body> included once it exists.
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.errors.push(`longtask: ${error}`);
  }
}

function launch() {
  let chromium;
  try {
    ({ chromium } = require('playwright'));
  } catch {
    throw new Error('no Playwright in end2end/node_modules (npm ci --prefix end2end)');
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

async function reachable(base) {
  try {
    const response = await fetch(new URL('/', base), { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    return String(error.cause?.code ?? error.cause ?? error);
  }
}

/** A valid national ID: the 9-digit prefix completed with its Luhn check digit (as end2end/tests/journey.ts). */
function nationalId(prefix) {
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

const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

class NoSession extends Error {}

/**
 * Signs a new beneficiary in, without JavaScript (forms posted as a phone without
 * JavaScript posts them): mobile → code from /dev/outbox → signed in. With
 * `withRequest`, goes on through the wizard and submits a request. Returns the
 * session's cookies (for a Playwright context), its Cookie header, and the request's
 * tracking path.
 */
async function beneficiarySession(browser, base, { withRequest = false } = {}) {
  const outbox = await fetch(new URL('/dev/outbox', base)).catch(() => null);
  if (!outbox?.ok) {
    throw new NoSession('no /dev/outbox on this server (it is there only with AWN_ENVIRONMENT=development), so no sign-in code can be read');
  }
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: base, locale: 'ar' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const expectPath = async (pattern, step) => {
      const path = new URL(page.url()).pathname;
      if (pattern.test(path)) return;
      const said = await page.$$eval('main [role=alert], main .field__error, main .notice', (es) => es.map((e) => e.textContent.trim()).join(' / ')).catch(() => '');
      throw new NoSession(`${step}: ended on ${path}${said ? ` saying «${said}»` : ''}`);
    };
    const mobile = '0509' + digits(6);
    await page.goto('/sign-in');
    await page.fill('#field-mobile', mobile);
    await page.click('form[action="/api/sign_in/request_code"] button[type=submit]');
    await expectPath(/^\/sign-in\/code$/, 'asking for a code');
    const html = await (await page.request.get('/dev/outbox')).text();
    const row = html.split('<tr ').find((r) => r.includes(`data-recipient="+966${mobile.slice(1)}"`) && r.includes('data-purpose="sign_in_code"'));
    const code = row?.match(/\b\d{6}\b/)?.[0];
    if (!code) throw new NoSession(`no sign-in code for ${mobile} on /dev/outbox`);
    await page.fill('#field-code', code);
    await page.click('form[action="/api/sign_in/verify_code"] button[type=submit]');
    await expectPath(/^\/requests$/, 'entering the code');

    let tracking = null;
    if (withRequest) {
      const next = (form = 'main form[action="/api/requests/save_step"]') => page.click(`${form} button[name=go][value=next]`);
      await page.goto('/requests/new');
      await page.fill('#field-full_name', 'فاطمة علي حسن الشهري');
      await page.fill('#field-national_id', nationalId('1' + digits(8)));
      await page.fill('#field-birth_date', '1990-07-01');
      await page.fill('#field-city', 'الرهاة');
      await page.fill('#field-district', 'حي النخيل');
      await next();
      await page.fill('#field-household_members', '5');
      await page.fill('#field-monthly_income', '2500');
      await page.check('#housing-rented');
      await next();
      await page.check('#kind-food_basket');
      await page.fill('#field-description', 'نحتاج إلى سلة غذائية شهرية لأسرة من خمسة أفراد.');
      await next();
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      await page.setInputFiles('#field-file', { name: 'هوية.png', mimeType: 'image/png', buffer: png });
      await page.click('form.upload-form button[type=submit]');
      await next();
      await page.check('#field-declaration_accepted');
      await page.fill('#field-signature', 'فاطمة علي حسن الشهري');
      await page.click('main form button[name=go][value=submit]');
      await expectPath(/^\/requests\/\d+$/, 'submitting a request');
      tracking = new URL(page.url()).pathname;
    }
    const cookies = await context.cookies(base);
    if (!cookies.length) throw new NoSession('signed in, but the browser holds no cookie');
    return { cookies, cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '), tracking };
  } catch (error) {
    if (error instanceof NoSession) throw error;
    throw new NoSession(`signing in failed: ${String(error.message ?? error).split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

/** Resolves to `fallback` if `promise` has not settled within `ms` (a page stuck in one long task). */
const within = (promise, ms, fallback) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);

async function measure(browser, base, { path, cookies }) {
  const context = await browser.newContext(PHONE);
  try {
    if (cookies) await context.addCookies(cookies);
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error.message ?? error)));
    page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
    const cdp = await context.newCDPSession(page);
    const transfers = new Map();
    const transfer = (id) => transfers.get(id) ?? transfers.set(id, { url: '', mime: '', status: 0, received: 0, finished: null }).get(id);
    cdp.on('Network.responseReceived', ({ requestId, response }) =>
      Object.assign(transfer(requestId), { url: response.url, mime: response.mimeType, status: response.status }));
    cdp.on('Network.dataReceived', ({ requestId, encodedDataLength }) => { transfer(requestId).received += encodedDataLength; });
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => { transfer(requestId).finished = encodedDataLength; });
    await cdp.send('Network.enable');
    if (THROTTLE) {
      await cdp.send('Network.emulateNetworkConditions', NETWORK);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }

    const started = Date.now();
    const left = () => Math.max(1, PAGE_TIMEOUT_MS - (Date.now() - started));
    let failure = null;
    try {
      await page.goto(new URL(path, base).href, { waitUntil: 'commit', timeout: PAGE_TIMEOUT_MS });
    } catch (error) {
      failure = String(error.message ?? error).split('\n')[0];
    }
    let hydrated = false;
    if (!failure) {
      hydrated = await page
        .waitForFunction(() => window.__awnBench?.hydratedAt != null, null, { timeout: left(), polling: 200 })
        .then(() => true, () => false);
      if (hydrated) await page.waitForTimeout(AFTER_HYDRATION_MS);
    }
    const seen = await within(
      page.evaluate(() => {
        const bench = window.__awnBench ?? {};
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return { fcp: fcp ? fcp.startTime : null, hydratedAt: bench.hydratedAt ?? null, longTasks: bench.longTasks ?? [], errors: bench.errors ?? [], url: location.href };
      }),
      15_000,
      null,
    ).catch(() => null);

    const cutoff = seen?.hydratedAt != null ? seen.hydratedAt + AFTER_HYDRATION_MS : Infinity;
    const tasks = (seen?.longTasks ?? []).filter(([start]) => start <= cutoff);
    let bytes = 0, files = 0, all = 0, partial = false;
    const failures = new Map();
    for (const t of transfers.values()) {
      if (t.status >= 400) failures.set(t.status, [...(failures.get(t.status) ?? []), new URL(t.url).pathname]);
    }
    const failed = [...failures].map(([status, paths]) =>
      `HTTP ${status} for ${paths.length === 1 ? paths[0] : `${paths.length} files (${paths.slice(0, 2).join(', ')}, …)`}`);
    for (const t of transfers.values()) {
      const size = t.finished ?? t.received;
      all += size;
      if (!/\.(m?js|wasm)(\?|$)/.test(t.url) && !/javascript|wasm/.test(t.mime)) continue;
      bytes += size;
      files += 1;
      if (t.finished == null) partial = true;
    }
    return {
      fcp: seen?.fcp ?? null,
      hydratedAt: seen?.hydratedAt ?? null,
      longest: tasks.reduce((m, [, d]) => Math.max(m, d), 0),
      tbt: tasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0),
      bytes,
      files,
      all,
      partial,
      finalUrl: seen?.url ?? page.url(),
      failure: failure ?? (seen ? null : 'the page did not answer (busy main thread?)'),
      errors: [
        ...failed,
        ...(seen?.errors ?? []),
        // What the page itself reported (a panic in the WASM, a failed import): the first two.
        ...[...new Set(pageErrors)].slice(0, 2).map((e) => `page error: ${e.replace(/\s+/g, ' ').slice(0, 300)}`),
      ],
    };
  } finally {
    await context.close();
  }
}

/** Chromium, once the server answers; exits with 2 when either cannot be had. */
async function openBrowser(base) {
  const problem = await reachable(base);
  if (problem) {
    console.error(`[weak-phone] cannot reach ${base}: ${problem}`);
    process.exit(2);
  }
  try {
    return await launch();
  } catch (error) {
    console.error(`[weak-phone] cannot start Chromium: ${String(error.message ?? error).split('\n')[0]}`);
    process.exit(2);
  }
}

async function sessionMode(base, withRequest) {
  const browser = await openBrowser(base);
  try {
    const { cookie, tracking } = await beneficiarySession(browser, base, { withRequest });
    console.log(JSON.stringify(tracking ? { cookie, tracking } : { cookie }));
  } catch (error) {
    console.error(String(error.message ?? error));
    process.exitCode = 3;
  } finally {
    await browser.close();
  }
}

async function main(base) {
  const browser = await openBrowser(base);
  const pages = [
    { name: 'home', path: '/' },
    { name: 'sign-in', path: '/sign-in' },
    { name: 'wizard step 1, anonymous', path: '/requests/new' },
    { name: 'wizard step 1, signed in', path: '/requests/new', session: true },
  ];
  const rows = [];
  const notes = [];
  const version = browser.version();
  const ms = (v) => (v == null ? '—' : `${Math.round(v)}`);
  try {
    for (const spec of pages) {
      const label = `${spec.name} ${spec.path}`;
      let cookies;
      if (spec.session) {
        try {
          ({ cookies } = await beneficiarySession(browser, base));
        } catch (error) {
          rows.push([label, '—', 'not measured', '—', '—', '—', '—', '—']);
          notes.push(`${label}: not measured: ${error.message}`);
          continue;
        }
      }
      process.stderr.write(`[weak-phone] ${label} …\n`);
      const r = await measure(browser, base, { path: spec.path, cookies });
      const hydrated = r.hydratedAt != null ? ms(r.hydratedAt) : `not hydrated within ${PAGE_TIMEOUT_MS / 1000} s`;
      const kib = `${r.partial ? '≥' : ''}${Math.round(r.bytes / 1024)}`;
      rows.push([label, ms(r.fcp), hydrated, r.longest ? ms(r.longest) : '0', ms(r.tbt), kib, String(r.files), `${r.partial ? '≥' : ''}${Math.round(r.all / 1024)}`]);
      const finalPath = (() => { try { const u = new URL(r.finalUrl); return u.pathname + u.search; } catch { return r.finalUrl; } })();
      if (finalPath !== spec.path) notes.push(`${label}: the visitor ended on ${finalPath}`);
      if (r.hydratedAt == null && !r.failure) notes.push(`${label}: longest task and TBT cover the whole ${PAGE_TIMEOUT_MS / 1000} s`);
      if (r.partial) notes.push(`${label}: JS/WASM still downloading at the end (bytes so far)`);
      if (r.failure) notes.push(`${label}: ${r.failure}`);
      for (const e of r.errors) notes.push(`${label}: ${e}`);
    }
  } finally {
    await browser.close();
  }

  const head = ['page', 'FCP ms', 'hydrated ms', 'longest task ms', 'TBT ms', 'JS+WASM KiB', 'files', 'all KiB'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  const [one, five] = loadavg();
  console.log(
    `Weak phone — ${new Date().toISOString().slice(0, 16)}Z, ${base}, Chromium ${version}, load average ${one.toFixed(2)} / ${five.toFixed(2)}`,
  );
  console.log(
    THROTTLE
      ? `360×740 @2x, ar, fresh context per page; ${NETWORK.latency} ms latency, ${(NETWORK.downloadThroughput * 8) / 1e6} Mbps down, ${(NETWORK.uploadThroughput * 8) / 1e3} kbps up, CPU ×${CPU_SLOWDOWN} slower`
      : '360×740 @2x, ar, fresh context per page; NOT throttled (BENCH_THROTTLE=off)',
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  for (const n of notes) console.log(`  note: ${n}`);
}

const args = process.argv.slice(2);
const base = args.find((a) => !a.startsWith('--'));
if (!base) {
  console.error('usage: node bench/weak-phone.mjs BASE_URL   (e.g. http://127.0.0.1:3200)\n       node bench/weak-phone.mjs --session BASE_URL [--with-request]');
  process.exit(64);
}
if (args.includes('--session')) await sessionMode(base, args.includes('--with-request'));
else await main(base);
