/**
 * Helpers of the sharing browser test, in a file of their own so that another test (e.g. an auditor's
 * step appended later) can import them without running the sharing journey twice.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

export const PASSWORD = 'Demo@2026';
const VIEWPORT = { width: 1440, height: 900 };

export { shot } from './chromium.js';

/** No dictionary key may leak into the page (a missing word shows as its key). */
export async function expectNoRawKeys(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(/\b(?:sharing|common|nav|workbench|entry|catalog)\.[a-zA-Z]+/);
}

/**
 * A new browser context signed in as a demo user, on the workbench: the lead can append a step for
 * another role (e.g. `const page = await signInAs(browser, server.url, 'auditor')`).
 */
export async function signInAs(
  browser: Browser,
  base: string,
  username: string,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('workbench').waitFor();
  return { context, page, problems };
}
