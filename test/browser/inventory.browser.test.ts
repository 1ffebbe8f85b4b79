/**
 * The inventory console in a real Chromium against the built node with the demo data: the platform office
 * opens the register, finds the zombie system, reads each flag's explanation, dismisses one and confirms
 * another (a reason is required), exports the four tables, imports a file with a bad row and reads the
 * row report, and works the self-check campaign: late departments, a report sent back, verify and send
 * back. Screenshots in test-results/screenshots/inventory-*.png.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, shot } from './chromium.js';
import { type RunningServer, startServer } from './server.js';

const PASSWORD = 'Demo@2026';
const VIEWPORT = { width: 1440, height: 900 };

async function session(base: string, username: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return cookie;
}

async function expectNoRawKeys(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(/\b(?:inventory|common|nav)\.[a-zA-Z]+\.?[a-zA-Z_]*/);
}

describe('the inventory console', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let gaOrg = '';
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    const cookie = await session(server.url, 'ga_admin');
    const me = (await (await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).json()) as {
      activeOrgId: string;
    };
    gaOrg = me.activeOrgId;
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}/login`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('workbench').waitFor();
  }, 420_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('opens the register with its chart, filters to zombies and reads a flag’s explanation', async () => {
    await page.getByRole('menuitem', { name: '信息系统清查' }).click();
    await page.getByRole('link', { name: '警务视频会商系统（旧）' }).first().waitFor({ state: 'attached' });
    await page.getByTestId('inventory-chart').waitFor();
    const total = await page.locator('.ant-pagination-total-text').first().textContent();
    expect(Number(/\d+/.exec(total ?? '')?.[0])).toBeGreaterThanOrEqual(50);
    await expectNoRawKeys(page);
    await shot(page, 'inventory-register');

    await page.goto(`${server.url}/inventory?flag=zombie`);
    await page.getByRole('link', { name: '警务视频会商系统（旧）' }).click();
    await page.getByTestId('flags-card').getByTestId('flag-zombie.idle').waitFor();
    const explanation = await page
      .getByTestId('flag-zombie.idle')
      .getByTestId('flag-explanation')
      .textContent();
    expect(explanation).toMatch(/利用率/);
    await page.getByTestId('system-form').getByLabel('系统名称').waitFor();
    expect(await page.getByTestId('system-form').getByLabel('系统名称').inputValue()).toBe(
      '警务视频会商系统（旧）',
    );
    await expectNoRawKeys(page);
    await shot(page, 'inventory-system');
  });

  it('dismisses one flag and confirms another, each with a reason', async () => {
    const lowUse = page.getByTestId('flag-zombie.low_use');
    await lowUse.getByRole('button', { name: '排除标记' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.getByText('请填写理由').waitFor();
    await shot(page, 'inventory-flag-reason');
    await dialog.getByLabel('理由').fill('该系统仍用于全市应急值守视频调度，使用频度低但不可替代');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await lowUse.getByText('已排除').waitFor();
    await lowUse.getByText(/应急值守/).waitFor();

    const idle = page.getByTestId('flag-zombie.idle');
    await idle.getByRole('button', { name: '确认标记' }).click();
    await page.getByRole('dialog').getByLabel('理由').fill('资源闲置，拟于明年清理');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await idle.getByText('已确认').waitFor();
    await shot(page, 'inventory-flags-resolved');
  });

  it('exports the four tables and imports a file with a bad row, showing the row report', async () => {
    await page.goto(`${server.url}/inventory?orgId=${gaOrg}`);
    await page.getByTestId('register-table').getByText('警务视频会商系统（旧）').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出四张清查表/ }).click(),
    ]);
    const path = join(tmpdir(), `inventory-export-${process.pid}.xlsx`);
    await download.saveAs(path);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await stat(path)).size).toBeGreaterThan(5000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toHaveLength(4);

    // A bad network in row 3: nothing is imported and the report names the row and cell.
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no sheet');
    ws.getRow(3).getCell(11).value = '卫星网';
    const bad = join(tmpdir(), `inventory-bad-${process.pid}.xlsx`);
    await writeFile(bad, Buffer.from(await wb.xlsx.writeBuffer()));
    await page.locator('input[type=file]').setInputFiles(bad);
    const dialog = page.getByRole('dialog');
    await dialog.getByText('导入失败，未写入任何数据').waitFor();
    const report = dialog.getByTestId('import-report');
    await report.getByText('K3').waitFor();
    expect(await report.textContent()).toMatch(/第3行/);
    await expectNoRawKeys(page);
    await shot(page, 'inventory-import-report');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
  });

  it('shows the campaign with its late departments and a report sent back; verifies and sends back', async () => {
    await page.getByRole('menuitem', { name: '自查核查' }).click();
    await page.getByTestId('campaigns-table').getByRole('link').first().click();
    await page.getByTestId('late-list').waitFor();
    await page.getByTestId('reports-table').getByText('已退回').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'inventory-campaign');

    await page.getByTestId('reports-table').getByRole('link', { name: '市民政局' }).click();
    await page
      .getByTestId('report-items')
      .getByText(/退回理由：.*婚姻登记处/)
      .waitFor();
    await shot(page, 'inventory-report-returned');

    await page.getByRole('button', { name: /返\s*回/ }).click();
    await page.getByTestId('reports-table').getByRole('link', { name: '市财政局' }).click();
    const items = page.getByTestId('report-items');
    await items.getByText('待核查').first().waitFor();
    const rows = items.locator('tbody tr');
    await rows
      .nth(0)
      .getByRole('button', { name: /核查通过/ })
      .click();
    await rows.nth(0).getByText('已核查').waitFor();
    await rows
      .nth(1)
      .getByRole('button', { name: /退\s*回/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('理由').fill('投资金额与批复不一致，请核实');
    await dialog.getByRole('button', { name: /退\s*回/ }).click();
    await rows
      .nth(1)
      .getByText(/退回理由：投资金额/)
      .waitFor();
    await page.getByText('已退回').first().waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'inventory-report-verify');
    expect(problems).toEqual([]);
  });

  it('reads the funding list in English', async () => {
    await page.evaluate("localStorage.setItem('govshare.lang', 'en')");
    await page.goto(`${server.url}/inventory/funding`);
    await page.getByText(/\d+ in all/).waitFor();
    await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
    await expectNoRawKeys(page);
    await shot(page, 'inventory-funding');
  });
});
