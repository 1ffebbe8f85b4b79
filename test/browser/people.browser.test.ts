/**
 * The people and audit areas in a real Chromium against the built node with the demo data. The platform
 * office opens the organization tree and records a change of officer, filters users and creates one
 * (a password problem shown in place first), corrects a day of the calendar and loads a year's schedule
 * after its preview, adjusts a policy rule. The auditor searches the trail by action prefix (from the
 * URL, as the sharing journey links to it), opens an event with its hashes and verifies the chain.
 * Screenshots: test-results/screenshots/people-*.png and audit-*.png.
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
  expect(text).not.toMatch(/\b(?:people|audit|common|nav|role)\.[a-zA-Z]+\.?[a-zA-Z]*/);
}

async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('workbench').waitFor();
}

/** Under load the console may take a while: every wait allows it 20 s. */
const POLL = { timeout: 20_000 };

/** Answers a confirmation (Modal.confirm) and waits until it has gone. */
async function confirm(page: Page, button: string | RegExp): Promise<void> {
  const modal = page.locator('.ant-modal-confirm');
  await modal.getByRole('button', { name: button }).click();
  await modal.waitFor({ state: 'hidden' });
}

function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

describe('the people and audit areas of the console', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let auditor: BrowserContext;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await admin?.close();
    await auditor?.close();
    await browser?.close();
    await server?.stop();
  });

  it('lets the platform office keep organizations, officers, users, the calendar and the policy', async () => {
    admin = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const page = await admin.newPage();
    await signIn(page, server.url, 'admin');
    const problems = watchErrors(page);

    // ── organization tree → 市民政局 → record a new sharing officer ──
    await page.getByRole('menuitem', { name: '单位与责任人' }).click();
    await page.getByRole('heading', { name: '单位与责任人' }).waitFor();
    await page.getByRole('searchbox', { name: '按名称或行政区划代码查找' }).fill('民政');
    await page.locator('.ant-tree-node-content-wrapper').filter({ hasText: '市民政局' }).first().click();
    await expect.poll(() => page.getByTestId('org-detail').textContent(), POLL).toContain('咸宁市民政局');
    expect(page.url()).toContain('org=');
    await page.getByRole('searchbox', { name: '按名称或行政区划代码查找' }).fill('');
    await expectNoRawKeys(page);
    await shot(page, 'people-orgs');

    await page.getByRole('button', { name: '登记责任人变更' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('周晓梅');
    await dialog.getByLabel('职务').fill('信息科科长');
    await dialog.getByLabel('联系电话').fill('0715-8256031');
    await dialog.getByLabel('电子邮箱').fill('not-an-email');
    await dialog.getByRole('button', { name: /^登\s*记$/ }).click();
    await confirm(page, '确认登记');
    // The server's field problem lands under its control.
    await expect.poll(() => dialog.locator('.ant-form-item-explain-error').count(), POLL).toBeGreaterThan(0);
    await shot(page, 'people-officer-error');
    await dialog.getByLabel('电子邮箱').fill('zhouxiaomei@xianning.gov.cn');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await confirm(page, '确认登记');
    await page.getByText('已登记责任人变更').waitFor();
    await expect.poll(() => page.getByText('周晓梅').count(), POLL).toBeGreaterThanOrEqual(2);
    await shot(page, 'people-officers-history');

    // ── users: filter by role, a bad password in place, then a real new user, then disable ──
    await page.getByRole('menuitem', { name: '用户与角色' }).click();
    await page.getByRole('heading', { name: '用户与角色' }).waitFor();
    await page.getByRole('combobox', { name: '角色', exact: true }).click();
    await page.locator('.ant-select-item-option[title="数据专员"]').click();
    await expect.poll(() => page.url(), POLL).toContain('role=data_officer');
    await expect
      .poll(() => page.getByRole('cell', { name: 'mz_officer', exact: true }).count(), POLL)
      .toBe(1);
    await expect.poll(() => page.getByRole('cell', { name: 'admin', exact: true }).count(), POLL).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/scrypt|password_hash/i);
    await expectNoRawKeys(page);
    await shot(page, 'people-users');

    await page.getByRole('button', { name: '新建用户' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('所属单位').click();
    await create.getByLabel('所属单位').fill('民政');
    await page.locator('.ant-select-item-option[title="市民政局"]').click();
    await create.getByLabel('用户名').fill('mz_clerk');
    await create.getByLabel('姓名').fill('王芳');
    await create.getByLabel('初始密码').fill('abcdefgh');
    await create.getByLabel('再次输入密码').fill('abcdefgh');
    await create.getByRole('button', { name: /创\s*建/ }).click();
    await expect
      .poll(() => create.locator('.ant-form-item-explain-error').allTextContents(), POLL)
      .toEqual(expect.arrayContaining([expect.stringContaining('密码')]));
    await shot(page, 'people-user-create-error');
    await create.getByLabel('初始密码').fill('Xianning#2026');
    await create.getByLabel('再次输入密码').fill('Xianning#2026');
    await create.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByText('已创建用户 mz_clerk').waitFor();
    await page.getByRole('searchbox', { name: '按用户名或姓名查找' }).fill('mz_clerk');
    await page.getByRole('searchbox', { name: '按用户名或姓名查找' }).press('Enter');
    const row = page.getByRole('row').filter({ hasText: 'mz_clerk' });
    await row.getByRole('button', { name: /停\s*用/ }).click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await expect.poll(() => row.textContent(), POLL).toContain('已停用');

    // ── calendar: correct 2026-12-31 with a reason; 2027 is provisional until its schedule is loaded ──
    await page.getByRole('menuitem', { name: '工作日历' }).click();
    await page.getByRole('heading', { name: '工作日历' }).waitFor();
    await page.goto(`${server.url}/calendar?year=2026`);
    await page.locator('button[data-day="2026-12-31"]').click();
    const day = page.getByRole('dialog');
    await day.getByLabel('休息日').check();
    await day.getByLabel('名称').fill('临时调休');
    await day.getByLabel('调整原因').fill('市政府通知：12月31日全天放假');
    await day.getByRole('button', { name: '保存调整' }).click();
    await page.getByText('已调整 2026-12-31').waitFor();
    await expect
      .poll(() => page.locator('button[data-day="2026-12-31"]').getAttribute('aria-label'), POLL)
      .toBe('2026-12-31 · 休息日 · 临时调休 · 市政府通知：12月31日全天放假');
    await expectNoRawKeys(page);
    await shot(page, 'people-calendar');

    await page.goto(`${server.url}/calendar?year=2027`);
    await page.getByText('2027 年日历是临时的').waitFor();
    await page.getByRole('button', { name: '载入年度安排' }).click();
    const load = page.getByRole('dialog');
    await load.getByLabel('通知文号').fill('测试用安排（非官方）');
    await load
      .getByLabel('放假与调休安排')
      .fill(
        '元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13\n上班 2027-02-20\n劳动节 2027/5/1 至 2027/5/5',
      );
    await load.getByRole('button', { name: '预览变化' }).click();
    await load.getByText(/载入后 2027 年将有 \d+ 天发生变化/).waitFor();
    await expect.poll(() => load.locator('.ant-table-row').count(), POLL).toBeGreaterThan(0);
    await shot(page, 'people-calendar-preview');
    await load.getByRole('button', { name: '确认载入' }).click();
    await confirm(page, '确认载入');
    await page.getByText(/已载入 2027 年安排/).waitFor();
    await expect.poll(() => page.getByText('2027 年日历是临时的').count(), POLL).toBe(0);
    expect(await page.getByText('国务院办公厅通知').first().isVisible()).toBe(true);

    // ── policy: adjust one rule with its reason ──
    await page.getByRole('menuitem', { name: '政策规则' }).click();
    await page.getByTestId('active-preset').waitFor();
    const rule = page.getByRole('row').filter({ hasText: 'application.unconditional.answer_days' });
    await rule.getByRole('button', { name: /调\s*整/ }).click();
    const adjust = page.getByRole('dialog');
    await adjust.getByLabel('新取值').fill('3');
    await adjust.getByLabel('调整原因').fill('市政务办决定：无条件共享答复从严执行');
    await adjust.getByRole('button', { name: /调\s*整/ }).click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await page.getByText('规则已调整').waitFor();
    await expect.poll(() => rule.textContent(), POLL).toContain('已调整');
    await expectNoRawKeys(page);
    await shot(page, 'people-policy');

    // The platform office cannot read the audit trail (三员分立).
    await page.goto(`${server.url}/audit`);
    await page.getByText('无权访问').waitFor();
    // The two 400s are the answers to the bad e-mail and the weak password provoked above.
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  }, 300_000);

  it('lets the auditor search the trail from a URL, open an event and verify the chain', async () => {
    auditor = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    const page = await auditor.newPage();
    await signIn(page, server.url, 'auditor');
    const problems = watchErrors(page);
    await page.getByRole('menuitem', { name: '审计查询' }).click();
    await page.getByRole('heading', { name: '审计查询' }).waitFor();

    await page.goto(`${server.url}/audit?action=sharing.`);
    await expect.poll(() => page.locator('.ant-table-row').count(), POLL).toBeGreaterThan(0);
    const actions = await page.locator('.ant-table-row td:nth-child(5)').allTextContents();
    expect(actions.every((a) => a.startsWith('sharing.'))).toBe(true);
    expect(await page.getByLabel('操作类型').inputValue()).toBe('sharing.');
    await expectNoRawKeys(page);
    await shot(page, 'audit-search');

    // The filter form writes the URL too: the admin's own changes, by actor.
    await page.getByLabel('操作类型').fill('calendar.');
    await page.getByLabel('操作人', { exact: true }).fill('admin');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect.poll(() => page.url(), POLL).toContain('actor=admin');
    await expect
      .poll(() => page.locator('.ant-table-row').filter({ hasText: 'calendar.day.override' }).count(), POLL)
      .toBe(1);

    await page.locator('.ant-table-row').first().getByRole('link').click();
    await page.getByTestId('canonical').waitFor();
    expect(await page.getByTestId('hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('prev-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await page.getByText('重新计算的 SM3 哈希与存储的哈希一致').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'audit-event');

    await page.getByRole('menuitem', { name: '审计链校验' }).click();
    await page.getByRole('button', { name: '开始校验' }).click();
    await expect
      .poll(() => page.getByTestId('verify-result').textContent(), { timeout: 60_000 })
      .toContain('审计链完整');
    await expectNoRawKeys(page);
    await shot(page, 'audit-verify');

    // The same pages in English, the search still driven by the URL.
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.goto(`${server.url}/audit?action=auth.login&outcome=ok`);
    await page.getByRole('heading', { name: 'Audit search' }).waitFor();
    await expect.poll(() => page.locator('.ant-table-row').count(), POLL).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('.ant-table-row td:nth-child(7)').allTextContents(), POLL)
      .toEqual(expect.arrayContaining(['OK']));
    await expectNoRawKeys(page);
    await shot(page, 'audit-search-en');
    await page.goto(`${server.url}/calendar?year=2027`);
    await page.getByRole('heading', { name: 'Working-day calendar' }).waitFor();
    await page.getByText('Holidays, adjusted working days and days set by hand in 2027').waitFor();
    await expectNoRawKeys(page);
    await shot(page, 'people-calendar-en');
    expect(problems).toEqual([]);
  }, 180_000);
});
