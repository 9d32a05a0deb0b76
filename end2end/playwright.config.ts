import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's Chromium; Playwright's own browser download cannot work on this network.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const port = Number(process.env.AWN_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// The server binary cargo-leptos built (scripts/test builds it first).
const binary = process.env.AWN_BINARY ?? '../target/debug/awn';
// Made once by the main process; the workers (which load this file again) inherit
// it, so the staff journey can create accounts in the server's own database.
const dataDir = (process.env.AWN_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'awn-e2e-')));
process.env.AWN_E2E_BINARY ??= binary;
process.env.AWN_E2E_DATABASE_URL_RESOLVED ??= process.env.AWN_E2E_DATABASE_URL ?? `sqlite://${dataDir}/awn.db`;

// A phone: 360 px wide, touch, a slow CPU in real life.
const phone = {
  ...devices['Pixel 5'],
  viewport: { width: 360, height: 740 },
  // Our users' phones are set to Arabic.
  locale: 'ar-SA',
  browserName: 'chromium' as const,
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: [['list']],
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'phone', use: { ...phone } },
  ],
  webServer: {
    command: `${binary} serve`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      AWN_BIND: `127.0.0.1:${port}`,
      // Where the browser opens the site: state-changing requests must come
      // from this origin (the cross-site check).
      AWN_PUBLIC_BASE_URL: baseURL,
      AWN_DATA_DIR: dataDir,
      // AWN_E2E_DATABASE_URL=postgres://… runs the journeys on PostgreSQL instead.
      DATABASE_URL: process.env.AWN_E2E_DATABASE_URL_RESOLVED,
      AWN_DEMO_DATA: '1',
      // Turns on /dev/outbox, where the journeys read their sign-in codes.
      AWN_ENVIRONMENT: 'development',
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? '../target/site',
      RUST_LOG: 'warn',
      // Every journey comes from 127.0.0.1, several at once: the abuse limits
      // (per address, the SMS budget, submissions per day) must not get in their way.
      AWN_LIMIT_CODES_PER_HOUR: '0',
      AWN_LIMIT_FORMS_PER_HOUR: '0',
      AWN_LIMIT_STAFF_SIGN_INS_PER_HOUR: '0',
      AWN_SMS_BUDGET_PER_HOUR: '0',
      AWN_SUBMISSIONS_PER_DAY: '0',
    },
  },
});
