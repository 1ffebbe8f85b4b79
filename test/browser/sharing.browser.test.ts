/**
 * The sharing journey in a real Chromium against the built node with the demo data: 市民政局's data
 * officer finds 户籍 in the catalog and requests two items (the server's field problems appear in place
 * first), the bureau's head approves internally, 市公安局 sees it in its inbox with its countdown, posts to
 * the thread, its head approves and its officer supplies; 市民政局's head sees the grant, accepts and prints
 * the agreement and issues the system's token, shown once, which then opens the exchange API.
 * Screenshots of every page go to test-results/screenshots/sharing-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, SCREENSHOTS } from './chromium.js';
import { type RunningServer, startServer } from './server.js';
import { expectNoRawKeys, shot, signInAs } from './sharing-helpers.js';

/** Opens a sharing request by its number from the list's tab, as an officer would. */
async function openFromList(page: Page, box: 'inbox' | 'outbox', number: string): Promise<void> {
  await page.getByRole('menuitem', { name: '共享申请' }).click();
  await page.getByTestId('sharing-list').waitFor();
  await page.getByTestId(`box-${box}`).click();
  const link = page.getByRole('link', { name: number });
  await link.waitFor();
  await link.click();
  await page.getByTestId('app-detail').waitFor();
}

/** Takes a step from the request's action panel through its confirming dialog. */
async function act(
  page: Page,
  action: string,
  fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
) {
  await page.getByTestId('app-actions').getByRole('button', { name: action }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (fill) await fill(dialog);
  await dialog.getByRole('button', { name: action }).click();
  await page.getByText(`已办理：${action}`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

const status = (page: Page) => page.getByTestId('app-detail').getByTestId('app-status').first().textContent();

describe('the sharing console', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problemLists: string[][] = [];

  // Migrating and loading the demo takes over two minutes when the machine is busy.
  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  }, 300_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  async function as(username: string): Promise<Page> {
    const s = await signInAs(browser, server.url, username);
    contexts.push(s.context);
    problemLists.push(s.problems);
    return s.page;
  }

  it('takes a request from the catalog to a grant and a token shown once', async () => {
    // ── 市民政局's data officer: catalog → entry → request form ──
    const officer = await as('mz_officer');
    await officer.getByRole('menuitem', { name: '目录检索' }).click();
    await officer.getByTestId('catalog-search').waitFor();
    const search = officer.getByLabel('检索目录');
    await search.fill('户籍');
    await search.press('Enter');
    await expect.poll(() => officer.getByTestId('result-count').textContent()).toContain('“户籍”');
    const first = officer.getByTestId('result-name').filter({ hasText: /^户籍人口基本信息$/ });
    await expect.poll(() => first.count()).toBe(1);
    await first.click();
    await officer.getByTestId('apply-button').click();
    await officer.getByTestId('sharing-form').waitFor();
    await expect.poll(() => officer.getByTestId('form-entry').textContent()).toBe('户籍人口基本信息');
    await expectNoRawKeys(officer);
    await shot(officer, 'sharing-form');

    // two items only, then submit: the server refuses and every problem appears under its field
    // The boxes are controlled by the form: a click shows once React has rendered the new value (check()
    // reads the state at once and fails when the page is busy), so click and wait for the box to show it.
    for (const item of [/^姓名/, /^公民身份号码/]) {
      const box = officer.getByRole('checkbox', { name: item });
      await box.click();
      await expect.poll(() => box.isChecked()).toBe(true);
    }
    await officer.getByTestId('form-submit').click();
    await officer.getByRole('dialog').getByRole('button', { name: '提交申请' }).click();
    await officer.getByText('提交前须填写法定职权依据').waitFor();
    await officer.getByText('提交前须填写使用场景').waitFor();
    await officer.getByText('须承诺申请内容真实、合法、必要').waitFor();
    await officer.getByText('接口、库表、联机查询方式须指明使用系统', { exact: true }).waitFor();
    await shot(officer, 'sharing-form-errors');

    await officer
      .getByLabel('法定职权依据')
      .fill('《社会救助暂行办法》第十一条：县级人民政府民政部门应当对申请人的家庭收入、财产状况进行调查核实');
    await officer.getByLabel('使用场景').fill('临时救助申请审核：核对申请人户籍');
    await officer.getByLabel('使用范围').fill('市民政局社会救助科');
    await officer.getByText('数据校核', { exact: true }).click();
    await officer.getByLabel('用途说明').fill('核验临时救助申请人的姓名与公民身份号码');
    await officer.getByLabel('使用系统').click();
    await officer.locator('.ant-select-item-option', { hasText: '市民政局业务审批系统' }).click();
    const attest = officer.getByRole('checkbox', { name: /本单位承诺/ });
    await attest.click();
    await expect.poll(() => attest.isChecked()).toBe(true);
    await officer.getByTestId('form-submit').click();
    await officer.getByRole('dialog').getByRole('button', { name: '提交申请' }).click();
    await officer.getByTestId('app-detail').waitFor();
    await expect.poll(() => status(officer)).toBe('待本单位审核');
    const number = ((await officer.getByRole('heading', { level: 3 }).textContent()) ?? '').trim();
    const appUrl = officer.url();
    expect(appUrl).toMatch(/\/sharing\/applications\/[0-9a-f-]{36}$/);
    expect(number).toMatch(/^GX\d{10}$/);
    const fields = officer.getByTestId('app-fields');
    expect(await fields.textContent()).toContain('市民政局业务审批系统');
    expect(await fields.textContent()).toContain('数据校核');
    expect(await officer.getByTestId('app-history').textContent()).toMatch(/创建草稿[\s\S]*提交/);
    await expectNoRawKeys(officer);
    await shot(officer, 'sharing-detail-submitted');

    // ── the bureau's head approves internally (from the outbox, filtered by state) ──
    const head = await as('mz_admin');
    await head.getByRole('menuitem', { name: '共享申请' }).click();
    await head.getByTestId('box-outbox').click();
    await head.getByLabel('按状态筛选').click();
    await head.locator('.ant-select-item-option', { hasText: '待本单位审核' }).click();
    await head.keyboard.press('Escape');
    await head.getByRole('link', { name: number }).waitFor();
    await expectNoRawKeys(head);
    await shot(head, 'sharing-outbox');
    await head.getByRole('link', { name: number }).click();
    await head.getByTestId('app-detail').waitFor();
    await act(head, '本单位审核通过');
    await expect.poll(() => status(head)).toBe('待提供方答复');

    // ── 市公安局: the request waits in the inbox with its working-day countdown ──
    const gaOfficer = await as('ga_officer');
    await gaOfficer.getByRole('menuitem', { name: '共享申请' }).click();
    const row = gaOfficer.locator('tr', { hasText: number });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/市民政局[\s\S]*待提供方答复[\s\S]*剩余 \d+ 个工作日/);
    await expectNoRawKeys(gaOfficer);
    await shot(gaOfficer, 'sharing-inbox');
    await row.getByRole('link', { name: number }).click();
    await gaOfficer.getByTestId('app-detail').waitFor();
    // the officer answers through the thread; approving is for the head
    await expect.poll(() => gaOfficer.getByTestId('app-actions').textContent()).not.toContain('同意共享');
    await gaOfficer
      .getByLabel('消息内容')
      .fill('已收到，相片不在申请范围内，按目录对公民身份号码部分遮盖后提供。');
    await gaOfficer.getByRole('button', { name: /发\s*送/ }).click();
    await gaOfficer.getByTestId('app-thread').getByText('已收到，相片不在申请范围内').waitFor();
    await shot(gaOfficer, 'sharing-detail-provider');

    const gaHead = await as('ga_admin');
    await openFromList(gaHead, 'inbox', number);
    // a refusal needs a written reason: the dialog says so in place and sends nothing
    await gaHead.getByTestId('app-actions').getByRole('button', { name: '拒绝共享' }).click();
    const refuse = gaHead.getByRole('dialog');
    // (a click while the dialog still opens can miss: click until the form answers; an empty reason
    // never leaves the browser, so clicking again sends nothing)
    await expect
      .poll(
        async () => {
          await refuse.getByRole('button', { name: '拒绝共享' }).click();
          return refuse.getByText('请填写理由').isVisible();
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await shot(gaHead, 'sharing-refuse-dialog', false);
    await refuse.getByRole('button', { name: /取\s*消/ }).click();
    await act(gaHead, '同意共享', async (dialog) => {
      await dialog.getByLabel('每日调用限额（可选）').fill('2000');
      await shot(gaHead, 'sharing-approve-dialog', false);
    });
    await expect.poll(() => status(gaHead)).toMatch(/已同意，待提供|已提供/);

    await gaOfficer.reload();
    await gaOfficer.getByTestId('app-detail').waitFor();
    if ((await status(gaOfficer)) === '已同意，待提供') {
      await act(gaOfficer, '提供数据', async (dialog) => {
        await dialog.getByLabel('每日调用限额（可选）').fill('2000');
      });
    }
    await expect.poll(() => status(gaOfficer)).toBe('已提供');
    await gaOfficer.getByTestId('app-grant-link').waitFor();
    expect(await gaOfficer.getByTestId('app-history').textContent()).toMatch(
      /本单位审核通过[\s\S]*同意共享[\s\S]*(提供数据)?/,
    );
    await shot(gaOfficer, 'sharing-detail-supplied');

    // ── 市民政局's head: the grant, its agreement and the system's token ──
    await head.getByRole('menuitem', { name: '共享授权' }).click();
    await head.getByTestId('grants-list').waitFor();
    await head.locator('.ant-select', { has: head.getByLabel('本单位角色') }).click();
    await head.locator('.ant-select-item-option', { hasText: '作为使用方' }).click();
    await head.getByRole('link', { name: '户籍人口基本信息' }).first().waitFor();
    await expectNoRawKeys(head);
    await shot(head, 'sharing-grants');

    await head.goto(appUrl);
    await head.getByTestId('app-detail').waitFor();
    await head.getByTestId('app-grant-link').click();
    await head.getByTestId('grant-detail').waitFor();
    const grantUrl = head.url();
    expect(grantUrl).toMatch(/\/sharing\/grants\/[0-9a-f-]{36}$/);
    await expect.poll(() => head.getByRole('heading', { level: 3 }).textContent()).toBe('户籍人口基本信息');
    const items = head.getByTestId('grant-items');
    await items.getByText('公民身份号码').waitFor();
    expect(await items.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await items.locator('tbody tr', { hasText: '公民身份号码' }).textContent()).toContain('部分遮盖');
    expect(await head.getByTestId('grant-detail').textContent()).toContain('2,000 次/日');
    await expectNoRawKeys(head);
    await shot(head, 'sharing-grant');

    await head.getByTestId('tab-agreement').click();
    const agreement = head.getByTestId('grant-agreement');
    await agreement.getByText('待双方确认').waitFor();
    await agreement.getByRole('button', { name: '代表乙方（使用部门）确认协议' }).click();
    await head.locator('.ant-popconfirm').getByRole('button', { name: '确认协议' }).click();
    // Accepting chains an audit event; on a busy machine the answer can take a while.
    await agreement.getByText('一方已确认').waitFor({ timeout: 60_000 });
    await agreement.getByText(/民政局管理员（mz_admin） 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 确认/).waitFor();
    await shot(head, 'sharing-agreement');
    // printing prints the agreement alone
    await head.evaluate('window.__printed = 0; window.print = () => { window.__printed += 1; }');
    await agreement.getByRole('button', { name: '打印协议' }).click();
    expect(await head.evaluate('window.__printed')).toBe(1);
    await head.emulateMedia({ media: 'print' });
    await head.screenshot({ path: `${SCREENSHOTS}/sharing-agreement-print.png`, fullPage: true });
    expect(await head.getByRole('menuitem', { name: '共享授权' }).isVisible()).toBe(false);
    await head.emulateMedia({ media: 'screen' });

    await head.getByTestId('tab-usage').click();
    await head.getByText('还没有使用记录').waitFor();
    await shot(head, 'sharing-usage');

    await head.getByTestId('tab-token').click();
    const tokenTab = head.getByTestId('grant-token');
    await tokenTab.getByText('该系统还没有令牌').waitFor();
    await head.getByTestId('issue-token').click();
    const issue = head.getByRole('dialog');
    await issue.getByRole('button', { name: '签发令牌' }).click();
    await issue.getByText('请填写令牌名称').waitFor();
    await issue.getByLabel('令牌名称').fill('临时救助审核生产环境');
    await issue.getByRole('button', { name: '签发令牌' }).click();
    const secretBox = head.getByTestId('token-secret');
    await secretBox.waitFor();
    const secret = ((await secretBox.textContent()) ?? '').trim();
    expect(secret.length).toBeGreaterThan(20);
    await head.getByText('令牌只显示这一次').waitFor();
    await shot(head, 'sharing-token-once', false);

    // the token opens the exchange API as the grant's system
    const who = await fetch(`${server.url}/exchange/v1/whoami`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(who.status).toBe(200);
    expect(((await who.json()) as { systemCode: string }).systemCode).toMatch(/^demo-/);

    await head.getByRole('button', { name: '我已保存' }).click();
    await secretBox.waitFor({ state: 'detached' });
    await tokenTab.locator('tbody tr', { hasText: '临时救助审核生产环境' }).waitFor();
    expect(await head.locator('body').textContent()).not.toContain(secret);
    await shot(head, 'sharing-token-list');

    // ── the same page in English ──
    await head.getByTestId('lang-switch').getByText('English').click();
    await head.getByText('Access token').waitFor();
    await head.getByTestId('tab-agreement').click();
    await head.getByText('Accepted by one side').waitFor();
    await expectNoRawKeys(head);
    await shot(head, 'sharing-agreement-en');
    await head.getByRole('menuitem', { name: 'Sharing requests' }).click();
    await head.getByTestId('box-outbox').click();
    await head.getByRole('link', { name: number }).waitFor();
    await expectNoRawKeys(head);
    await shot(head, 'sharing-outbox-en');
    await head.getByTestId('lang-switch').getByText('中文').click();

    // ── the auditor finds all of it in the audit view ──
    const auditor = await as('auditor');
    const rows = auditor.locator('.ant-table-tbody tr.ant-table-row');
    const actions = async () => (await rows.locator('code').allTextContents()).join(' ');
    const applicationId = appUrl.split('/').pop() ?? '';
    const grantId = grantUrl.split('/').pop() ?? '';
    // the application's whole history, found by its id typed into the search form
    await auditor.getByRole('menuitem', { name: '审计查询' }).click();
    await auditor.getByLabel('对象标识').fill(applicationId);
    await auditor.getByRole('button', { name: /查\s*询/ }).click();
    await auditor.waitForURL(/object=/);
    // every row now belongs to the application (the unfiltered list showed before the search)
    const onlyTheApplication = async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((t) => t.includes('share_application'));
    };
    await expect.poll(onlyTheApplication, { timeout: 30_000 }).toBe(true);
    await expect.poll(actions, { timeout: 30_000 }).toContain('sharing.application.supply');
    for (const action of [
      'sharing.application.create',
      'sharing.application.submit',
      'sharing.application.internal_approve',
      'sharing.message',
      'sharing.application.approve',
    ]) {
      expect(await actions()).toContain(action);
    }
    await shot(auditor, 'sharing-audit-application');
    // the grant it produced, the agreement mz_admin accepted, and the token issued once
    await auditor.goto(`${server.url}/audit?object=${grantId}`);
    await expect.poll(actions, { timeout: 30_000 }).toContain('sharing.grant.create');
    await auditor.goto(`${server.url}/audit?actor=mz_admin&action=sharing.agreement`);
    await expect.poll(actions, { timeout: 30_000 }).toContain('sharing.agreement.accept');
    await auditor.goto(`${server.url}/audit?actor=mz_admin&action=token.`);
    await expect.poll(actions, { timeout: 30_000 }).toContain('token.issue');
    await expect.poll(() => rows.first().textContent()).toContain('api_token');
    // an event opens with its hashes; the secret is nowhere in the trail
    await rows.first().getByRole('link').click();
    await auditor
      .getByText(/[0-9a-f]{64}/)
      .first()
      .waitFor();
    expect(await auditor.locator('body').textContent()).not.toContain(secret);
    await expectNoRawKeys(auditor);
    await shot(auditor, 'sharing-audit-token');

    // The browser logs every refused request: the sign-in page's session check (401) is expected, and
    // the one 400 is the submission the server refused above.
    const problems = problemLists.flat().filter((p) => !p.includes('status of 401'));
    expect(problems.filter((p) => p.includes('status of 400'))).toHaveLength(1);
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  }, 300_000);
});
