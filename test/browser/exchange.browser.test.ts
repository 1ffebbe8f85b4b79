/**
 * The console's exchange area in a real Chromium against the built node: 市公安局's technical officer
 * registers a PostgreSQL source (a real database of this test's own), tests its connection, browses its
 * tables, mounts 户籍人口基本信息 on one and backward-catalogues another; 市民政局's head issues a token
 * to a system (shown once), revokes it, sets up a batch job on the demo grant and runs it to the end,
 * subscribes by webhook and reads the delivery log after a change. Screenshots: exchange-*.png.
 */
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-session.js';
import { launch, SCREENSHOTS, shot } from './chromium.js';
import { type RunningServer, startServer } from './server.js';

const PASSWORD = 'Demo@2026';
const VIEWPORT = { width: 1440, height: 900 };
const PG_URL = process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tag = `${process.pid}_${Date.now() % 100_000}`;
const SRC_DB = `gs_browser_src_${tag}`;
const DST_DB = `gs_browser_dst_${tag}`;
const ROWS = 1200;

async function adminQuery(text: string, db?: string): Promise<void> {
  const u = new URL(PG_URL);
  if (db) u.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 3_000 });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function pgReachable(): Promise<boolean> {
  try {
    await adminQuery('select 1');
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('CI needs PostgreSQL for the exchange browser test');
    return false;
  }
}

async function expectNoRawKeys(page: Page): Promise<void> {
  const text = (await page.locator('main, body').first().textContent()) ?? '';
  expect(text).not.toMatch(/\bexchange\.[a-zA-Z]+\.[a-zA-Z.]+/);
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** Picks an option of an open antd Select by its visible text (waiting for the list to settle). */
async function pickOption(page: Page, text: string | RegExp): Promise<void> {
  const option = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first();
  await option.waitFor();
  await page.waitForTimeout(400);
  await option.click();
}

interface Grant {
  id: string;
  entryId: string;
  items: { name: string; masking: string }[];
}

describe('the console’s exchange area', async () => {
  const hasPg = await pgReachable();
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let items: string[] = [];
  let keyIndex = 0;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    if (!hasPg) return;
    const mz = await apiCall(server.url, 'mz_admin');
    const grants = await mz<{ items: Grant[] }>('GET', '/sharing/grants?role=consumer&status=active');
    const grant = grants.items[0];
    if (!grant) throw new Error('the demo has no active grant of 市民政局');
    const ga = await apiCall(server.url, 'ga_tech');
    const entry = await ga<{ items: { name: string }[] }>('GET', `/catalog/entries/${grant.entryId}`);
    items = entry.items.map((i) => i.name);
    keyIndex = Math.max(
      0,
      items.findIndex((n) =>
        grant.items.some((g) => g.name === n && (g.masking === 'none' || g.masking === 'hash')),
      ),
    );
    await adminQuery(`CREATE DATABASE ${SRC_DB}`);
    await adminQuery(`CREATE DATABASE ${DST_DB}`);
    const cols = items.map((_, i) => `c${i}`);
    await adminQuery(
      `CREATE TABLE resident (${cols.map((c) => `${c} text`).join(', ')});
       INSERT INTO resident SELECT ${cols
         .map((_, i) => (i === keyIndex ? `'4212' || lpad(g::text, 14, '0')` : `'v${i}-' || g`))
         .join(', ')} FROM generate_series(1, ${ROWS}) g;
       CREATE TABLE household (hh_no varchar(20) primary key, address varchar(200), members integer);
       INSERT INTO household VALUES ('HH0001', '咸安区温泉街道', 3), ('HH0002', '嘉鱼县鱼岳镇', 4);`,
      SRC_DB,
    );
  }, 180_000);

  afterEach(async (ctx) => {
    // A failing step leaves a picture of where it stopped.
    if (ctx.task.result?.state === 'fail' && page && !page.isClosed()) {
      await page.screenshot({
        path: `${SCREENSHOTS}/exchange-failed-${ctx.task.name.slice(0, 20)}.png`,
        fullPage: true,
      });
    }
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (hasPg) {
      await adminQuery(`DROP DATABASE IF EXISTS ${SRC_DB} WITH (FORCE)`);
      await adminQuery(`DROP DATABASE IF EXISTS ${DST_DB} WITH (FORCE)`);
    }
  });

  it('serves the console at /exchange/… and leaves /exchange/v1 to the gateway', async () => {
    const html = await fetch(`${server.url}/exchange/sources`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const gate = await fetch(`${server.url}/exchange/v1/whoami`);
    expect(gate.status).toBe(401);
    expect(gate.headers.get('content-type')).toContain('application/problem+json');
  });

  it.skipIf(!hasPg)(
    'a technical officer registers a source, tests it, mounts a resource and backward-catalogues a table',
    async () => {
      context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
      page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

      // A deep link to the exchange area signs in and comes back.
      await page.goto(`${server.url}/exchange/sources`);
      await signIn(page, 'ga_tech');
      await page.waitForURL((u) => u.pathname === '/exchange/sources');
      await page.getByRole('heading', { name: '数据源', level: 3 }).waitFor();
      await page.getByText('还没有登记数据源').waitFor();

      // Register: a field error in place first, then the real source.
      await page.getByRole('button', { name: /登记数据源/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('名称').fill('公安人口库（前置机）');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.getByText('必填').first().waitFor();
      await shot(page, 'exchange-source-form');
      const u = new URL(PG_URL);
      await dialog.getByLabel('主机').fill(u.hostname);
      await dialog.getByLabel('端口').fill(u.port || '5432');
      await dialog.getByLabel('数据库').fill(SRC_DB);
      await dialog.getByLabel('用户名').fill(decodeURIComponent(u.username || 'postgres'));
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('已保存“公安人口库（前置机）”').waitFor();
      await page.getByTestId('source-link').filter({ hasText: '公安人口库（前置机）' }).waitFor();

      // Test the connection: progress on the button, then the result and the status.
      await page.getByRole('button', { name: '测试“公安人口库（前置机）”的连接' }).click();
      await page.getByText(/“公安人口库（前置机）”连接成功，耗时 \d+ ms/).waitFor();
      await page.getByTestId('exchange-status-tag').filter({ hasText: '已联通' }).waitFor();
      await page.getByTestId('exchange-rate-chart').locator('canvas').waitFor();
      await expectNoRawKeys(page);
      await shot(page, 'exchange-sources');

      // The password is write-only: editing shows "leave blank to keep" or "none stored", never a value.
      await page.getByRole('button', { name: '修改“公安人口库（前置机）”' }).click();
      await page.getByRole('dialog').getByText('未保存密码；填写后保存').waitFor();
      expect(await page.getByRole('dialog').getByLabel('密码').inputValue()).toBe('');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /取\s*消/ })
        .click();

      // Detail: tables, columns, mount.
      await page.getByTestId('source-link').filter({ hasText: '公安人口库（前置机）' }).click();
      await page.getByTestId('relation').filter({ hasText: 'public.resident' }).click();
      await page.getByText('public.resident 的列').waitFor();
      await page.getByRole('cell', { name: 'c0', exact: true }).waitFor();
      await page.getByRole('button', { name: /挂接资源/ }).click();
      const mount = page.getByRole('dialog');
      await mount.getByRole('combobox', { name: '目录资源' }).fill('户籍人口');
      await pickOption(page, '户籍人口基本信息');
      await mount.getByText('姓名', { exact: true }).waitFor();
      await mount.getByRole('combobox', { name: '关键列' }).click();
      await pickOption(page, new RegExp(`^c${keyIndex}（`));
      await page.keyboard.press('Escape');
      for (const [i, name] of items.entries()) {
        const select = mount.getByRole('combobox', { name: `信息项“${name}”对应的列` });
        await select.click();
        await select.fill(`c${i}`);
        await page.keyboard.press('Enter');
      }
      await shot(page, 'exchange-mount');
      await mount.getByRole('button', { name: /挂\s*接/ }).click();
      await page.getByText('已挂接到 public.resident').waitFor();
      await page.getByRole('link', { name: '户籍人口基本信息' }).waitFor();

      // Backward cataloguing writes the catalog: not the technical officer's, the department head's.
      await page.getByTestId('relation').filter({ hasText: 'public.household' }).click();
      await page.getByText('public.household 的列').waitFor();
      expect(await page.getByRole('button', { name: /反编目/ }).count()).toBe(0);
      const sourceUrl = page.url();
      await context.close();
      context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
      page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(sourceUrl);
      await signIn(page, 'ga_admin');
      await page.getByTestId('relation').filter({ hasText: 'public.household' }).click();
      await page.getByText('public.household 的列').waitFor();
      await page.getByRole('button', { name: /反编目/ }).click();
      const back = page.getByRole('dialog');
      await back.getByLabel('资源名称').fill('户籍家庭户信息');
      await back.getByLabel('分类代码').fill('301001');
      await back.getByLabel('分类名称').fill('部门信息资源/公安/人口');
      await back.getByLabel('摘要').fill('按户登记的家庭户号、住址和人数（由前置库表反编目生成）。');
      await back.getByRole('combobox', { name: '关键列' }).click();
      await pickOption(page, /^hh_no（/);
      await page.keyboard.press('Escape');
      await back.getByRole('button', { name: '生成目录草稿' }).click();
      await back.getByText('已生成目录草稿“户籍家庭户信息”').waitFor();
      await shot(page, 'exchange-backward');
      await back.getByTestId('backward-entry-link').click();
      await page.waitForURL(/\/catalog\/entries\//);
      await page.getByText('户籍家庭户信息').first().waitFor();
      await page.goBack();
      await page.getByText('public.resident 的列').or(page.getByText('表和视图')).first().waitFor();
      await expectNoRawKeys(page);
      await shot(page, 'exchange-source-detail');
    },
    240_000,
  );

  it.skipIf(!hasPg)(
    'a department head issues a token shown once, revokes it, and runs a batch job to the end',
    async () => {
      await context.close();
      context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
      page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(`${server.url}/exchange/systems`);
      await signIn(page, 'mz_admin');
      await page.waitForURL((u) => u.pathname === '/exchange/systems');
      await page.getByRole('heading', { name: '业务系统与令牌', level: 3 }).waitFor();
      await page.locator('.ant-table-row-expand-icon').first().click();
      await page
        .getByRole('button', { name: /签发令牌/ })
        .first()
        .click();
      const issue = page.getByRole('dialog');
      await issue.getByLabel('令牌名称').fill('救助系统生产环境');
      await issue.getByRole('button', { name: /签发令牌/ }).click();
      const tokenBox = page.getByTestId('issued-token');
      await tokenBox.waitFor();
      const token = ((await tokenBox.textContent()) ?? '').trim();
      expect(token).toMatch(/^gst_/);
      await shot(page, 'exchange-token-once');
      await page.getByRole('button', { name: '我已保存' }).click();
      await page.getByRole('cell', { name: '救助系统生产环境', exact: true }).waitFor();
      // Never again: the page does not contain the secret any more.
      await expect.poll(() => page.content()).not.toContain(token);
      // The token works at the gateway until revoked.
      expect(
        (await fetch(`${server.url}/exchange/v1/whoami`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(200);
      const row = page.getByRole('row').filter({ hasText: '救助系统生产环境' });
      await row.getByRole('button', { name: /吊\s*销/ }).click();
      await page.getByText('吊销令牌“救助系统生产环境”？').waitFor();
      await page
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /吊\s*销/ })
        .click();
      await page.getByText('已吊销令牌“救助系统生产环境”').waitFor();
      await row.getByText('已吊销').waitFor();
      await shot(page, 'exchange-systems');
      expect(
        (await fetch(`${server.url}/exchange/v1/whoami`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(401);

      // A batch job on the demo grant, into a database of this test's own.
      await page.getByRole('link', { name: '库表交换' }).click();
      await page.waitForURL((u) => u.pathname === '/exchange/sync-jobs');
      await page.getByText('还没有库表交换任务').waitFor();
      await page.getByRole('button', { name: /新建交换任务/ }).click();
      const job = page.getByRole('dialog');
      await job.getByRole('combobox', { name: '共享授权' }).click();
      await pickOption(page, '户籍人口基本信息');
      await job.getByText(/授权信息项：/).waitFor();
      const u = new URL(PG_URL);
      await job.getByLabel('主机').fill(u.hostname);
      await job.getByLabel('端口').fill(u.port || '5432');
      await job.getByLabel('数据库').fill(DST_DB);
      await job.getByLabel('用户名').fill(decodeURIComponent(u.username || 'postgres'));
      await job.getByLabel('目标表').fill('public.resident_copy');
      await job.getByText('全量', { exact: true }).click();
      await job.getByRole('button', { name: /保\s*存/ }).click();
      await page.waitForURL(/\/exchange\/sync-jobs\/[0-9a-f-]{36}$/);
      await page.getByText('还没有运行记录').waitFor();
      await page.getByRole('button', { name: /立即运行/ }).click();
      await page.getByTestId('sync-progress').getByText('成功').waitFor({ timeout: 60_000 });
      await expect
        .poll(async () => page.getByTestId('sync-progress').textContent(), { timeout: 30_000 })
        .toContain('1,200');
      await page.getByRole('cell', { name: '1,200' }).waitFor({ timeout: 30_000 });
      await expectNoRawKeys(page);
      await shot(page, 'exchange-sync-job');
      await page.getByRole('link', { name: '← 全部任务' }).click();
      await page.getByTestId('sync-job-link').first().waitFor();
      await page.locator('.ant-progress').first().waitFor();
      await shot(page, 'exchange-sync-jobs');
      const copy = new pg.Client({
        connectionString: (() => {
          const x = new URL(PG_URL);
          x.pathname = `/${DST_DB}`;
          return x.toString();
        })(),
      });
      await copy.connect();
      const n = await copy.query<{ n: string }>('select count(*) as n from public.resident_copy');
      await copy.end();
      expect(Number(n.rows[0]?.n)).toBe(ROWS);
    },
    240_000,
  );

  it.skipIf(!hasPg)(
    'a webhook subscription shows its secret once and its delivery log after a change',
    async () => {
      await page.getByRole('link', { name: '订阅与投递' }).click();
      await page.waitForURL((u) => u.pathname === '/exchange/subscriptions');
      await page.getByText('还没有订阅').waitFor();
      await page.getByRole('button', { name: /新建订阅/ }).click();
      const sub = page.getByRole('dialog');
      await sub.getByRole('combobox', { name: '共享授权' }).click();
      await pickOption(page, '户籍人口基本信息');
      await sub.getByLabel('推送地址').fill('http://127.0.0.1:9/hooks/govshare');
      await sub.getByRole('button', { name: /订\s*阅/ }).click();
      const secret = page.getByTestId('webhook-secret');
      await secret.waitFor();
      expect(((await secret.textContent()) ?? '').length).toBeGreaterThan(20);
      await shot(page, 'exchange-webhook-secret');
      await page.getByRole('button', { name: '我已保存' }).click();
      await page.getByTestId('subscription-link').first().waitFor();

      // 市公安局 records a change; the platform office runs the feed at once; the receiver is down.
      const mz = await apiCall(server.url, 'mz_admin');
      const grants = await mz<{ items: Grant[] }>('GET', '/sharing/grants?role=consumer&status=active');
      const grant = grants.items[0] as Grant;
      const ga = await apiCall(server.url, 'ga_tech');
      await ga('POST', '/exchange/changes', {
        entryId: grant.entryId,
        op: 'upsert',
        key: { [items[keyIndex] ?? '']: '421200000000000001' },
      });
      const office = await apiCall(server.url, 'admin');
      await office('POST', '/exchange/feed/poll');

      await page.getByTestId('subscription-link').first().click();
      await page.waitForURL(/\/exchange\/subscriptions\/[0-9a-f-]{36}$/);
      const table = page.getByTestId('delivery-table');
      await table
        .getByTestId('exchange-delivery-status-tag')
        .filter({ hasText: '待投递' })
        .waitFor({ timeout: 30_000 });
      await table.getByRole('cell', { name: '1', exact: true }).first().waitFor();
      await expectNoRawKeys(page);
      await shot(page, 'exchange-delivery-log');

      await page.getByRole('link', { name: '← 全部订阅' }).click();
      await page.getByRole('tab', { name: '死信' }).click();
      await page.getByText('没有死信').waitFor();
      await shot(page, 'exchange-dead-letters');
      await page.getByRole('tab', { name: '订阅' }).click();
      await page.getByText('待投递 1').waitFor();
      await shot(page, 'exchange-subscriptions');

      // English is complete on these pages.
      await page.getByTestId('lang-switch').getByText('English').click();
      await page.getByRole('heading', { name: 'Subscriptions and deliveries', level: 3 }).waitFor();
      await page.getByText('1 pending').waitFor();
      await expectNoRawKeys(page);
      await shot(page, 'exchange-subscriptions-en');
      await page.goto(`${server.url}/exchange/sources`);
      await page.getByRole('heading', { name: 'Data sources', level: 3 }).waitFor();
      await expectNoRawKeys(page);
      await shot(page, 'exchange-sources-en');
      await page.getByTestId('lang-switch').getByText('中文').click();
      expect(problems).toEqual([]);
    },
    180_000,
  );
});
