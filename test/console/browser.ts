import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

/** Screenshots of every page the tests visit (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));

/** Builds the console from its source into dist/console, as `npm run build` does. */
export async function buildConsole(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../console/vite.config.ts', import.meta.url)), logLevel: 'error' });
}

/** Debian's Chromium, headless, driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Fills the login form and submits it. */
export async function logIn(page: Page, endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; region?: string }, path = '/console/'): Promise<void> {
  await page.goto(`${endpoint}${path}`);
  await page.getByLabel('Access key ID').fill(credentials.accessKeyId);
  await page.getByLabel('Secret access key').fill(credentials.secretAccessKey);
  await page.getByLabel('Region').fill(credentials.region ?? 'us-east-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
}
