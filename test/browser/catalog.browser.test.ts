/**
 * Catalog editing in a real Chromium against the built node with the demo data: 市公安局's data
 * officer creates an entry, sees an instant validation error, fixes it and saves; records the
 * assessments and submits (the head approves in between); the platform office finds it in its review
 * queue and publishes it; the provider sees who uses its resource; a wrong spreadsheet is refused with
 * its row-by-row report. Screenshots go to test-results/screenshots/catalog-*.png.
 */
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './api-session.js';
import { launch, SCREENSHOTS, shot } from './chromium.js';
import { type RunningServer, startServer } from './server.js';

const PASSWORD = 'Demo@2026';
const VIEWPORT = { width: 1440, height: 900 };
const NAME = '户口迁移登记信息';

async function expectNoRawKeys(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(
    /\b(?:common|nav|catalog|entry|catalogLog|catalogEdit|catalogFlow|catalogUse|catalogReview|catalogImport|catalogNav|catalogSearch)\.[a-zA-Z]+/,
  );
}

async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('workbench').waitFor();
}

/** Picks an option of an antd Select (opened by its form label). */
async function choose(page: Page, label: string | RegExp, option: string): Promise<void> {
  await page.getByLabel(label, { exact: typeof label === 'string' }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

describe('catalog editing in the console', () => {
  let server: RunningServer;
  let browser: Browser;
  let officer: BrowserContext;
  let office: BrowserContext;
  let entryId = '';
  const problems: string[] = [];
  const pages: Page[] = [];

  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Before signing in, the console asks /auth/me and is told 401: that is how it knows.
      if (m.type() === 'error' && !m.location().url.endsWith('/api/v1/auth/me')) {
        problems.push(`console: ${m.text()} ${m.location().url}`);
      }
    });
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    officer = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    office = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  });
  afterAll(async () => {
    // When something failed, the last state of the editor's page helps to see why.
    if (pages[0] && !entryId)
      await pages[0].screenshot({ path: `${SCREENSHOTS}/catalog-failure.png`, fullPage: true });
    await officer?.close();
    await office?.close();
    await browser?.close();
    await server?.stop();
  });

  it('lets a data officer create an entry: an instant error, fixed, saved; then assessed and submitted', async () => {
    const page = await officer.newPage();
    watch(page);
    pages.push(page);
    await signIn(page, server.url, 'ga_officer');
    await page.getByRole('menuitem', { name: '目录编制' }).click();
    await page.getByTestId('entry-editor').waitFor();

    await page.getByLabel('信息资源名称').fill(NAME);
    await page.getByLabel('分类码').fill('301002');
    await page.getByLabel('资源分类', { exact: true }).fill('部门信息资源/公安/户政管理');
    await page
      .getByLabel('信息资源摘要')
      .fill('市公安局办理的户口迁入、迁出登记，含迁移类型、迁出地、迁入地和办理日期。');
    await choose(page, '资源格式分类', '数据库');
    await choose(page, '资源格式类型', 'PostgreSQL');
    await choose(page, '更新周期', '每日');

    // Conditional sharing without its conditions: told at once, before saving.
    await page.getByLabel('有条件共享').check();
    await page.getByText('有条件共享须写明共享条件（范围）').waitFor();
    await page.getByText('有条件共享须写明共享条件（用途）').waitFor();
    // A database cannot be shared by file: the mode is not even offered.
    expect(await page.getByLabel('文件', { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('接口', { exact: true }).check();
    await shot(page, 'catalog-editor-instant-error');

    await page.getByLabel('共享条件（范围）').fill('市直政务部门办理户籍相关业务');
    await page.getByLabel('共享条件（用途）').fill('仅用于核验户口迁移情况');
    await expect.poll(() => page.getByText('有条件共享须写明共享条件（范围）').count()).toBe(0);

    // Data items: a database must list them.
    await page.getByTestId('add-item').click();
    await page.getByTestId('item-name-0').fill('公民身份号码');
    await page.getByLabel('长度').first().fill('18');
    await page.getByTestId('add-item').click();
    await page.getByTestId('item-name-1').fill('迁入地详址');
    await page.getByLabel('长度').nth(1).fill('200');
    await expectNoRawKeys(page);
    await shot(page, 'catalog-editor');

    await page.getByTestId('save-entry').click();
    await page.getByTestId('entry-detail').waitFor();
    entryId = page.url().split('/').pop() ?? '';
    expect(entryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByRole('heading', { level: 3 }).first().textContent()).toBe(NAME);

    // Assessments, recorded by the officer.
    await page.getByTestId('flow-assess').click();
    await page.getByTestId('assess-confidentiality').fill('经保密审查，不涉及国家秘密和工作秘密');
    await page.getByTestId('assess-pi').fill('含公民身份号码，按最小必要原则共享并部分遮盖');
    await page.getByRole('button', { name: '保存评估' }).click();
    await page.getByText('评估已记录').waitFor();

    // The department head approves (as another officer would, through the API).
    const head = await apiSession(server.url, 'ga_admin');
    await head.call('POST', `/catalog/entries/${entryId}/approve`);
    await page.reload();
    await page.getByTestId('entry-workflow').waitFor();
    await page.getByTestId('flow-submit').click();
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText('已提交审核').first().waitFor();
    await expect.poll(() => page.getByTestId('flow-submit').count()).toBe(0);
    await expectNoRawKeys(page);
    await shot(page, 'catalog-entry-submitted');
  }, 240_000);

  it('shows the platform office its review queue; it publishes the entry after confirming', async () => {
    const page = await office.newPage();
    watch(page);
    await signIn(page, server.url, 'admin');
    await page.getByRole('menuitem', { name: '目录审核' }).click();
    await page.getByTestId('review-queue').waitFor();
    const row = page.getByRole('row', { name: new RegExp(NAME) });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/剩余 \d+ 个工作日|今日到期|已超期|无期限/);
    await expectNoRawKeys(page);
    await shot(page, 'catalog-review-queue');

    await row.getByTestId('review-entry').click();
    await page.getByTestId('entry-workflow').waitFor();
    await page.getByTestId('flow-publish').click();
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText('已发布').first().waitFor();
    await expect.poll(() => page.getByTestId('flow-publish').count()).toBe(0);
    await shot(page, 'catalog-entry-published');
    const admin = await apiSession(server.url, 'admin');
    const published = await admin.call<{ status: string; version: number }>(
      'GET',
      `/catalog/entries/${entryId}`,
    );
    expect(published).toMatchObject({ status: 'published', version: 1 });
  });

  it('lets the platform office return an entry with a reason the officer then reads, and withdraw one after confirming', async () => {
    // 市公安局 submits a second entry (through the API, as the officer and head would).
    const ga = await apiSession(server.url, 'ga_officer');
    const head = await apiSession(server.url, 'ga_admin');
    const me = await ga.call<{ activeOrgId: string }>('GET', '/auth/me');
    const created = await ga.call<{ id: string }>('POST', '/catalog/entries', {
      classCode: '301003',
      className: '部门信息资源/公安/出入境管理',
      name: '出入境证件签发信息',
      providerOrgId: me.activeOrgId,
      summary: '普通护照、往来港澳通行证的签发记录。',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'unconditional',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'daily',
      dataGrade: 'important',
      items: [{ name: '证件号码', dataType: 'C', length: 20, sensitivity: 'sensitive', masking: 'partial' }],
    });
    await ga.call('POST', `/catalog/entries/${created.id}/assessments`, {
      confidentiality: '不涉及国家秘密',
      personalInformation: '含个人信息，部分遮盖后共享',
    });
    await head.call('POST', `/catalog/entries/${created.id}/approve`);
    await ga.call('POST', `/catalog/entries/${created.id}/submit`);

    const page = await office.newPage();
    watch(page);
    await page.goto(`${server.url}/catalog/entries/${created.id}`);
    await page.getByTestId('flow-return').click();
    const dialog = page.getByRole('dialog');
    // A return needs its reason: refused in place when empty.
    await dialog.getByRole('button', { name: /退\s*回/ }).click();
    await dialog.getByText('请填写理由').waitFor();
    await page.getByTestId('reason-input').fill('出入境证件信息属重要数据，共享类型应为有条件共享并写明条件');
    await dialog.getByRole('button', { name: /退\s*回/ }).click();
    await page.getByTestId('returned-reason').waitFor();

    const officerPage = await officer.newPage();
    watch(officerPage);
    await officerPage.goto(`${server.url}/catalog/entries/${created.id}`);
    await expect
      .poll(() => officerPage.getByTestId('returned-reason').textContent())
      .toContain('共享类型应为有条件共享');
    await officerPage.getByTestId('flow-edit').waitFor();
    await expectNoRawKeys(officerPage);
    await shot(officerPage, 'catalog-entry-returned');
    await officerPage.close();

    // Withdrawing the entry published before asks for a reason in a dialog first.
    await page.goto(`${server.url}/catalog/entries/${entryId}`);
    await page.getByTestId('flow-withdraw').click();
    await page.getByTestId('reason-input').fill('户口迁移登记信息并入户籍人口基本信息，不再单独编目');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /撤\s*销/ })
      .click();
    await page.getByText('此目录已撤销，理由：').waitFor();
    const admin = await apiSession(server.url, 'admin');
    expect(await admin.call<{ status: string }>('GET', `/catalog/entries/${entryId}`)).toMatchObject({
      status: 'withdrawn',
    });
  }, 120_000);

  it('shows the provider who uses its resource', async () => {
    const page = await officer.newPage();
    watch(page);
    const ga = await apiSession(server.url, 'ga_officer');
    const found = await ga.call<{ items: { id: string; name: string }[] }>(
      'GET',
      `/catalog/entries?q=${encodeURIComponent('户籍人口基本信息')}&publishedOnly=true`,
    );
    const huji = found.items.find((e) => e.name === '户籍人口基本信息');
    if (!huji) throw new Error('demo entry missing');
    await page.goto(`${server.url}/catalog/entries/${huji.id}`);
    await page.getByTestId('tab-consumers').click();
    const table = page.getByTestId('consumers-table');
    await table.getByText('市民政局业务审批系统').waitFor();
    await table.getByText('有效').first().waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'catalog-consumers');
  });

  it('refuses a wrong spreadsheet with its row-by-row report and imports nothing', async () => {
    const page = await officer.newPage();
    watch(page);
    const ga = await apiSession(server.url, 'ga_officer');
    const before = await ga.call<{ total: number }>('GET', '/catalog/entries?pageSize=1');

    // The export of one entry, changed the way officers get it wrong.
    const res = await fetch(
      `${server.url}/api/v1/catalog/export.xlsx?q=${encodeURIComponent('户籍人口基本信息')}&publishedOnly=true`,
      { headers: { cookie: ga.cookie } },
    );
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('信息资源');
    if (!sheet) throw new Error('no entry sheet');
    const col = (header: string) => {
      let found = 0;
      sheet.getRow(1).eachCell((c, n) => {
        if (String(c.value) === header) found = n;
      });
      if (!found) throw new Error(`no column ${header}`);
      return found;
    };
    const row = sheet.getRow(2);
    row.getCell(col('共享类型')).value = '有条件共享';
    row.getCell(col('共享条件（范围）')).value = '';
    row.getCell(col('共享条件（用途）')).value = '';
    row.getCell(col('共享方式')).value = '文件';
    row.commit();
    const file = Buffer.from(await wb.xlsx.writeBuffer());

    await page.goto(`${server.url}/catalog/import`);
    await page.getByTestId('catalog-import').waitFor();
    await page.locator('input[type="file"]').setInputFiles({
      name: '户政目录.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await report.getByText('未导入任何目录').waitFor();
    await report
      .getByText(/有条件共享须写明共享条件/)
      .first()
      .waitFor();
    await report
      .getByText(/不能以“文件”方式共享/)
      .first()
      .waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'catalog-import-report');
    // The problems of the changed row name row 2 of the entry sheet.
    const cells = await report
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    expect(cells.map((c) => c.slice(0, 4))).toEqual([
      ['信息资源', '2', 'L2', '共享条件（范围）'],
      ['信息资源', '2', 'M2', '共享条件（用途）'],
      ['信息资源', '2', 'P2', '共享方式'],
    ]);

    // The same report in English.
    await page.getByTestId('lang-switch').getByText('English').click();
    await report.getByText('has 3 problems; nothing was imported').waitFor();
    await report.getByText('Conditional sharing needs its condition: the scope').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'catalog-import-report-en');
    await page.getByTestId('lang-switch').getByText('中文').click();

    const after = await ga.call<{ total: number }>('GET', '/catalog/entries?pageSize=1');
    expect(after.total).toBe(before.total);
    expect(problems).toEqual([]);
  });
});
