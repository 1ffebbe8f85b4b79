/**
 * The web console in a real Chromium against the built node with the demo data: sign-in (errors and
 * lockout in place), the workbench, catalog search with facets and highlighting, entry detail with
 * items and a version diff, the language switch and the platform office's organization switcher.
 * Prints the first-screen load times and saves a screenshot of every page in test-results/screenshots.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-session.js';
import { launch, shot } from './chromium.js';
import { type RunningServer, startServer } from './server.js';

const PASSWORD = 'Demo@2026';
const VIEWPORT = { width: 1440, height: 900 };

interface EntryView {
  id: string;
  version: number;
  items: Record<string, unknown>[];
  [key: string]: unknown;
}

const INPUT_KEYS = [
  'classCode',
  'className',
  'name',
  'providerOrgId',
  'providerUnit',
  'summary',
  'formatCategory',
  'formatType',
  'shareType',
  'shareConditionScope',
  'shareConditionUse',
  'notSharedBasisKind',
  'notSharedBasis',
  'shareModes',
  'openType',
  'openCondition',
  'updateCycle',
  'relatedCodes',
  'sourceSystem',
  'basicLibrary',
  'classified',
  'dataCategory',
  'dataGrade',
  'census',
];
const ITEM_KEYS = [
  'name',
  'dataType',
  'length',
  'description',
  'collectingOrgId',
  'sensitivity',
  'masking',
  'standardElement',
];

/** 市公安局 publishes a second version of 户籍人口基本信息 (summary and one masking changed). */
async function publishSecondVersion(base: string): Promise<string> {
  const ga = await apiCall(base, 'ga_officer');
  const head = await apiCall(base, 'ga_admin');
  const office = await apiCall(base, 'admin');
  const found = await ga<{ items: EntryView[] }>(
    'GET',
    `/catalog/entries?q=${encodeURIComponent('户籍人口')}`,
  );
  const entry = found.items.find((e) => e.name === '户籍人口基本信息');
  if (!entry) throw new Error('户籍人口基本信息 not in the demo catalog');
  const rev = await ga<EntryView>('POST', `/catalog/entries/${entry.id}/revisions`);
  const input: Record<string, unknown> = Object.fromEntries(INPUT_KEYS.map((k) => [k, rev[k]]));
  input.summary = `${String(rev.summary)}（2026 年修订：补充注销原因代码）`;
  input.items = rev.items.map((item, i) => {
    const out: Record<string, unknown> = {};
    for (const k of ITEM_KEYS) if (item[k] !== null || k !== 'length') out[k] = item[k];
    if (i === 0) out.masking = 'hash';
    return out;
  });
  await ga('PUT', `/catalog/entries/${rev.id}`, input);
  await ga('POST', `/catalog/entries/${rev.id}/assessments`, {
    confidentiality: '经保密审查，不涉及国家秘密、工作秘密',
    personalInformation: '已开展个人信息保护影响评估',
  });
  await head('POST', `/catalog/entries/${rev.id}/approve`);
  await ga('POST', `/catalog/entries/${rev.id}/submit`);
  await office('POST', `/catalog/entries/${rev.id}/publish`);
  return entry.id;
}

/** No dictionary key may leak into the page (a missing word shows as its key). */
async function expectNoRawKeys(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(
    /\b(?:app|common|lang|nav|header|role|login|workbench|catalog|entry|catalogLog|error)\.[a-zA-Z]+/,
  );
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

describe('the web console', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let entryId: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    entryId = await publishSecondVersion(server.url);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('serves the console for client-side routes and keeps API 404s as problems', async () => {
    const html = await fetch(`${server.url}/catalog/entries/${entryId}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const api = await fetch(`${server.url}/api/v1/nowhere`);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it('signs a data officer in, finds 户籍 in the catalog, opens it and reads its items, in zh-CN and English', async () => {
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });

    // ── first screen: navigation start → sign-in form visible ──
    await page.goto(`${server.url}/`);
    await page.getByTestId('login-form').waitFor({ state: 'visible' });
    const signInVisibleMs = await page.evaluate(() => performance.now());
    const nav = await page.evaluate<{ domContentLoaded: number; load: number } | null>(
      `(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return n ? { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null;
      })()`,
    );
    expect(page.url()).toMatch(/\/login$/);
    await shot(page, 'console-sign-in');

    // errors in place: empty fields, then a wrong password
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('请输入用户名').waitFor();
    await page.getByText('请输入密码').waitFor();
    await page.getByLabel('用户名').fill('mz_officer');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await shot(page, 'console-sign-in-error');

    // ── sign in (by keyboard) → workbench rendered ──
    await page.getByLabel('用户名').fill('mz_officer');
    await page.getByLabel('用户名').press('Tab');
    await page.keyboard.type(PASSWORD);
    const before = await page.evaluate(() => performance.now());
    await page.keyboard.press('Enter');
    await page.getByTestId('workbench').waitFor();
    // The demo's 市人社局 asks 市民政局 for marriage records: it waits in this department's inbox.
    await page.getByTestId('todo-sharing').getByText('婚姻登记信息').first().waitFor();
    const workbenchMs = (await page.evaluate(() => performance.now())) - before;
    await page
      .getByTestId('chart-catalog')
      .locator('canvas, [data-testid="chart-catalog-empty"]')
      .first()
      .waitFor();
    await page
      .getByTestId('chart-sharing')
      .locator('canvas, [data-testid="chart-sharing-empty"]')
      .first()
      .waitFor();
    const workbenchFullMs = (await page.evaluate(() => performance.now())) - before;
    await expect.poll(() => page.getByTestId('current-org').textContent()).toBe('市民政局');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toBe('民政局数据专员');
    await expectNoRawKeys(page);
    await shot(page, 'console-workbench');

    console.log(
      JSON.stringify({
        console_load_ms: {
          sign_in_form_visible_from_navigation_start: Math.round(signInVisibleMs),
          dom_content_loaded: nav ? Math.round(nav.domContentLoaded) : null,
          load_event: nav ? Math.round(nav.load) : null,
          workbench_rendered_after_sign_in: Math.round(workbenchMs),
          workbench_with_charts_after_sign_in: Math.round(workbenchFullMs),
        },
      }),
    );
    expect(signInVisibleMs).toBeLessThan(2000);
    expect(workbenchMs).toBeLessThan(2000);

    // ── catalog search from the menu ──
    await page.getByRole('menuitem', { name: '目录检索' }).click();
    await page.getByTestId('catalog-search').waitFor();
    const input = page.getByLabel('检索目录');
    await input.fill('户籍');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('result-count').textContent()).toContain('“户籍”');
    const first = page.getByTestId('result-name').first();
    await expect.poll(() => first.textContent()).toBe('户籍人口基本信息');
    expect(await page.getByTestId('result-provider').first().textContent()).toContain('市公安局');
    expect(await first.locator('mark').first().textContent()).toBe('户籍');
    expect(page.url()).toContain(`q=${encodeURIComponent('户籍')}`);
    // facets carry counts from the server; choosing one narrows the results
    await expectNoRawKeys(page);
    await shot(page, 'console-catalog-search');
    const total = (await page.getByTestId('result-count').textContent()) ?? '';
    const police = page.getByRole('checkbox', { name: /市公安局/ });
    await police.click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toContain('共 2 条');
    await expect.poll(() => police.isChecked()).toBe(true);
    expect(page.url()).toContain('provider=');
    await police.click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe(total);

    // ── entry detail ──
    await first.click();
    await page.getByTestId('entry-detail').waitFor();
    expect(page.url()).toContain(`/catalog/entries/${entryId}`);
    expect(await page.getByRole('heading', { level: 3 }).first().textContent()).toBe('户籍人口基本信息');
    expect(await page.getByTestId('entry-provider').textContent()).toContain('市公安局');
    await page.getByText('信息资源提供方').first().waitFor();
    await page.getByText('有条件共享').first().waitFor();
    await expect.poll(() => page.getByTestId('apply-button').isVisible()).toBe(true);
    await expectNoRawKeys(page);
    await shot(page, 'console-entry-detail');

    await page.getByTestId('tab-items').click();
    const items = page.getByTestId('items-table');
    await items.getByText('公民身份号码').first().waitFor();
    const rows = await items.locator('tbody tr.ant-table-row').count();
    expect(rows).toBe(12);
    const idRow = items.locator('tbody tr', { hasText: '公民身份号码' });
    expect(await idRow.textContent()).toContain('部分遮盖');
    expect(await items.locator('tbody tr', { hasText: '相片' }).textContent()).toContain('完全屏蔽');
    await shot(page, 'console-entry-items');

    await page.getByTestId('tab-history').click();
    const diff = page.getByTestId('diff-table');
    await diff.getByText('信息资源摘要').waitFor();
    expect(await diff.locator('tbody tr', { hasText: '信息项「姓名」' }).textContent()).toMatch(
      /部分遮盖[\s\S]*哈希/,
    );
    await shot(page, 'console-entry-history');

    // ── English and back ──
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('Review and workflow log').waitFor();
    await page.getByRole('tab', { name: 'Details' }).click();
    await page.getByText('Share condition (scope)').waitFor();
    await page.getByText('Conditional').first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectNoRawKeys(page);
    await shot(page, 'console-entry-detail-en');
    await page.getByRole('menuitem', { name: 'Workbench' }).click();
    await page.getByTestId('workbench').waitFor();
    await page.getByText('My to-dos: sharing requests').waitFor();
    await page.getByTestId('current-org').getByText('Xianning Municipal Civil Affairs Bureau').waitFor();
    await shot(page, 'console-workbench-en');
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await page.getByText('我的待办：共享申请').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    // ── a request starts from the entry: the button leads to the request form's address ──
    await page.goto(`${server.url}/catalog/entries/${entryId}`);
    await page.getByTestId('apply-button').click();
    await expect.poll(() => page.url()).toContain(`/sharing/new?entry=${entryId}`);

    // ── sign out asks first ──
    await page.getByRole('button', { name: '退出登录' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^退\s*出$/ })
      .click();
    await page.getByTestId('login-form').waitFor();

    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await page.close();
  }, 120_000);

  it('lets the platform office act for another organization', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    await signIn(page, 'admin');
    await page.getByTestId('workbench').waitFor();
    const switcher = page.getByTestId('org-switcher');
    await expect.poll(() => switcher.textContent()).toContain('市政务办');
    await page.getByTestId('todo-catalog').waitFor();
    await shot(page, 'console-workbench-admin');
    await switcher.click();
    await page.keyboard.type('公安');
    await page.locator('.ant-select-item-option', { hasText: '市公安局' }).first().click();
    await expect.poll(() => switcher.textContent()).toContain('市公安局');
    await page.getByText('已切换到：市公安局').waitFor();
    await ctx.close();
  }, 60_000);

  it('tells a locked account when it may try again', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    const error = page.getByTestId('login-error');
    let text = '';
    for (let i = 0; i < 8 && !text.includes('锁定'); i++) {
      await page.getByLabel('用户名').fill('rs_officer');
      await page.getByLabel('密码').fill(`wrong-${i}`);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await expect.poll(() => error.isVisible()).toBe(true);
      await page.waitForTimeout(150);
      text = (await error.textContent()) ?? '';
    }
    expect(text).toMatch(/账号已锁定[\s\S]*锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await shot(page, 'console-sign-in-locked');
    await ctx.close();
  }, 60_000);
});
