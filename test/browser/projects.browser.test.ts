/**
 * The projects console in a real Chromium against the built node with the demo data: a department
 * lists its projects, files a needs proposal (SM3 of an uploaded file) and submits it for the joint
 * meeting's review; the new-project form shows its errors in place; the platform office reviews with
 * the expert panel and the catalog gate, and keeps the expert pool. Screenshots: projects-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, shot } from './chromium.js';
import { type RunningServer, startServer } from './server.js';

const PASSWORD = 'Demo@2026';
const VIEWPORT = { width: 1440, height: 900 };

/** No dictionary key may leak into the page (a missing word shows as its key). */
async function expectNoRawKeys(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(/\bprojects\.[a-zA-Z_]+/);
}

async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('workbench').waitFor();
}

describe('the projects console', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return page;
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  }, 300_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('lets 市公安局 file its needs proposal and submit it for the joint review', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'ga_admin');
    await page.getByRole('menuitem', { name: '电子政务项目' }).click();
    await page.getByRole('heading', { name: '电子政务项目' }).waitFor();
    const rows = page.locator('.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByText('咸宁市“互联网+可信身份认证”服务平台建设项目').waitFor();
    await expect.poll(() => page.locator('.ant-table-row').first().textContent()).toContain('试运行');
    await expectNoRawKeys(page);
    await shot(page, 'projects-list');

    // A stage filter on the server: only the project still at its needs proposal.
    await page.getByRole('combobox', { name: '按阶段筛选' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '需求方案编制' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('link', { name: '咸宁市公安局视频图像信息共享平台扩容项目' }).click();
    await page.getByRole('heading', { name: '咸宁市公安局视频图像信息共享平台扩容项目' }).waitFor();
    await page.getByText('须先登记：项目建设需求方案').waitFor();
    await page.getByText('尚未关联目录条目').waitFor();

    // Submitting without the document: the server's reason shows above the button.
    await page.getByRole('button', { name: '提交需求方案' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('本阶段须先登记：项目建设需求方案').waitFor();
    await shot(page, 'projects-detail-needs');

    // File the needs proposal as a file: its SM3 is shown.
    await page.getByLabel('文件名称').fill('视频图像信息共享平台扩容需求方案.pdf');
    await page.locator('input[type="file"]').setInputFiles({
      name: '需求方案.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('咸宁市公安局视频图像信息共享平台扩容项目建设需求方案'),
    });
    await page.getByRole('button', { name: '登记文件' }).click();
    await page.getByText('文件已登记').waitFor();
    await expect.poll(() => page.locator('.ant-typography code').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: '提交需求方案' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('已办理：提交需求方案').waitFor();
    await page.getByText('等待市政务办办理：审核通过').waitFor();
    await expect.poll(() => page.locator('.gs-page-title').textContent()).toContain('联席会议需求审核');
    // The filing stays editable; the needs budget is locked outside the needs stage.
    await page.getByRole('button', { name: '修改备案信息' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByLabel('需求方案预算（元）').isDisabled()).toBe(true);
    await dialog.getByLabel('数据资源').fill('公共视频监控点位信息、视频结构化解析信息');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('备案信息已保存').waitFor();
    await page.getByText('公共视频监控点位信息、视频结构化解析信息').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'projects-detail-submitted');
  }, 180_000);

  it('shows the new-project form’s errors in place and registers the project', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'ga_admin');
    await page.goto(`${server.url}/projects/new`);
    await page.getByRole('heading', { name: '申报电子政务项目' }).waitFor();
    await page.getByRole('button', { name: '保存项目' }).click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(1);
    await page.getByLabel('项目名称').fill('咸宁市公安局智慧交管信号控制系统建设项目');
    await page.getByLabel('需求方案预算（元）').fill('960000');
    await page.getByLabel('经费渠道').fill('市级财政预算');
    // Level 3 without its filing number: the server's field error lands under the control.
    await page.getByRole('combobox', { name: '等级保护级别' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '3 级' }).click();
    await page.getByRole('button', { name: '保存项目' }).click();
    await page.getByText('二级及以上等级保护须填写备案编号').waitFor();
    await shot(page, 'projects-new-errors');
    await page.getByLabel('等级保护备案编号').fill('42120013012-26050');
    await page.getByRole('button', { name: '保存项目' }).click();
    await page.getByRole('heading', { name: '咸宁市公安局智慧交管信号控制系统建设项目' }).waitFor();
    await page.getByText('项目已登记').waitFor();
  }, 180_000);

  it('lets the platform office review with the panel and the catalog gate', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'admin');
    await page.goto(`${server.url}/projects`);
    await page.getByRole('link', { name: '咸宁市智慧养老服务平台建设项目' }).click();
    await page.getByRole('heading', { name: '咸宁市智慧养老服务平台建设项目' }).waitFor();
    await page.getByText('评审要件：已预编项目信息资源目录').waitFor();
    await page.getByRole('link', { name: '社会福利机构登记信息' }).waitFor();
    // A pass without the panel: the field error lands under the experts.
    await page.getByRole('button', { name: '审核通过' }).click();
    await page
      .getByText('请输入评审专家（至少 3 名，建设单位的专家回避）')
      .or(page.locator('.ant-form-item-explain-error'))
      .first()
      .waitFor();
    await shot(page, 'projects-review');

    // The project held up by its missing catalog and last year's poor evaluation.
    await page.goto(`${server.url}/projects`);
    await page.getByRole('link', { name: '咸宁市不动产登记“一网通办”系统建设项目' }).click();
    await page.getByText(/上一年度有项目绩效评估不合格/).waitFor();
    await page.getByText('尚未关联目录条目').waitFor();
    await shot(page, 'projects-caution');

    // A finished project: the whole timeline, the decisions with their experts.
    await page.goto(`${server.url}/projects`);
    await page.getByRole('link', { name: '咸宁市全民健康信息平台（二期）建设项目' }).click();
    await page.getByText('项目已完成全部阶段。').waitFor();
    await page.getByText('86 · 良好').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'projects-completed');
  }, 180_000);

  it('lets the platform office keep the expert pool', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'admin');
    await page.getByRole('menuitem', { name: '项目专家库' }).click();
    await page.getByRole('heading', { name: '项目咨询专家库' }).waitFor();
    await page.getByText('胡志强').waitFor();
    await page.getByRole('button', { name: /专家入库/ }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(1);
    await page.getByRole('dialog').getByLabel('姓名').fill('黄海波');
    await page.getByRole('dialog').getByRole('combobox', { name: '专业领域' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '数据资源' }).click();
    await page.getByRole('dialog').getByLabel('工作单位').fill('湖北科技学院');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('专家信息已保存').waitFor();
    await page.getByText('黄海波').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'projects-experts');
    expect(problems).toEqual([]);
  }, 180_000);
});
