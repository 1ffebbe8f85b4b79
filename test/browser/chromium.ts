/** Debian's Chromium driven by playwright-core; never a downloaded browser. */
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';

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

/**
 * A picture of what the officer sees, in test-results/screenshots/<name>.png: fonts loaded, no table
 * still loading; `whole` (the default) takes the whole page at the real width by growing the window to
 * the page's height from the top (a full-page capture of a scrolled page draws the sticky header
 * mid-page, and its emulated resize can fold the side menu), then puts the window back.
 */
export async function shot(page: Page, name: string, whole = true): Promise<void> {
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.evaluate('document.fonts.ready.then(() => true)');
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
  const viewport = page.viewportSize();
  if (!whole || !viewport) {
    await page.waitForTimeout(300);
    await page.screenshot({ path });
    return;
  }
  await page.evaluate('window.scrollTo(0, 0)');
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.waitForTimeout(400);
  await page.screenshot({ path });
  await page.setViewportSize(viewport);
}
