/** Debian's Chromium driven by playwright-core; never a downloaded browser. */
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

export const SCREENSHOTS = 'test-results/screenshots';

export async function launch(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
