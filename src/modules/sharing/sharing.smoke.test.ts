import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { FixedClock } from '../../kernel/clock.js';

interface App {
  id: string;
  status: string;
  dueOn: string | null;
  supplyDue: string | null;
  grantId: string | null;
  nextActions: string[];
}

describe('sharing smoke', () => {
  let t: TestApp;
  let mz: Session;
  let mzAdmin: Session;
  let gaAdmin: Session;
  const clock = new FixedClock('2026-09-29');
  beforeAll(async () => {
    t = await testApp({}, { clock });
    mz = await login(t.app, 'mz_officer');
    mzAdmin = await login(t.app, 'mz_admin');
    gaAdmin = await login(t.app, 'ga_admin');
  });
  afterAll(async () => t.close());

  it('conditional: internal approval, answer due over the National Day holiday, approve, supply, grant', async () => {
    const search = json<{ items: { id: string; items: { name: string }[] }[] }>(
      await t.app.inject({
        url: `/api/v1/catalog/entries?q=${encodeURIComponent('户籍人口基本信息')}`,
        headers: mz.headers,
      }),
    );
    const entry = search.items[0];
    expect(entry).toBeDefined();
    const sys = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/systems',
        headers: mzAdmin.headers,
        payload: { code: 'mz-dibao', name: '低保审批系统' },
      }),
    );
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sharing/applications',
      headers: mz.headers,
      payload: {
        entryId: entry?.id,
        requestedItems: entry?.items.slice(0, 2).map((i) => i.name),
        basis: '《社会救助暂行办法》第十一条',
        scenario: '最低生活保障申请审核',
        purposeCategory: 'data_verification',
        purpose: '核对申请人户籍',
        scope: '市民政局社会救助科',
        accessMode: 'api',
        periodFrom: '2026-10-01',
        periodTo: '2027-09-30',
        consumerSystemId: sys.id,
        attested: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const app = json<App>(created);
    const act = (s: Session, action: string, payload: object = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/sharing/applications/${app.id}/actions/${action}`,
        headers: s.headers,
        payload,
      });
    const submitted = json<App>(await act(mz, 'submit'));
    expect(submitted.status).toBe('awaiting_internal');
    const out = json<App>(await act(mzAdmin, 'internal_approve'));
    expect(out.status).toBe('submitted');
    // 10 working days from Tue 2026-09-29: 30, 8, 9, 10(Sat, worked), 12, 13, 14, 15, 16, 19.
    expect(out.dueOn).toBe('2026-10-19');
    // What each party is offered next follows the state and the policy.
    const view = async (s: Session) =>
      json<{ application: App }>(
        await t.app.inject({ url: `/api/v1/sharing/applications/${app.id}`, headers: s.headers }),
      ).application;
    expect((await view(gaAdmin)).nextActions).toEqual(
      expect.arrayContaining(['approve', 'refuse', 'request_extension']),
    );
    const adminView = await view(await login(t.app, 'admin'));
    expect(adminView.nextActions).not.toContain('consent_extension');
    const rs = await login(t.app, 'rs_officer');
    const msg = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/applications/${app.id}/messages`,
      headers: rs.headers,
      payload: { body: 'x' },
    });
    expect(msg.statusCode).toBe(404);
    const refuseNoReason = await act(gaAdmin, 'refuse', {});
    expect(refuseNoReason.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(refuseNoReason).fields[0]?.field).toBe('reason');
    const approved = json<App>(await act(gaAdmin, 'approve'));
    expect(approved.status).toBe('approved');
    expect(approved.supplyDue).toMatch(/^2026-1/);
    const supplied = json<App>(await act(gaAdmin, 'supply'));
    expect(supplied.status).toBe('supplied');
    expect(supplied.grantId).not.toBeNull();
    const grant = json<{ items: { name: string; masking: string }[]; status: string }>(
      await t.app.inject({ url: `/api/v1/sharing/grants/${supplied.grantId}`, headers: mz.headers }),
    );
    expect(grant.status).toBe('active');
    expect(grant.items.length).toBe(2);
  });
});
