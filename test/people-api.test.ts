/**
 * The endpoints the console's people and audit areas added: the user list's filters, the preview of a
 * year's official schedule, one audit event with its hashes, and the chain verified segment by segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, tamperAuditEvent, testApp } from './helpers.js';

interface UserPage {
  items: { username: string; role: string; disabled: boolean; orgId: string; [k: string]: unknown }[];
  total: number;
}

interface Segment {
  ok: boolean;
  checked: number;
  headSeq: number;
  lastSeq: number;
  done: boolean;
  broken: { seq: number; reason: string } | null;
}

describe('console API of the people and audit areas', () => {
  let t: TestApp;
  let admin: Session;
  let auditor: Session;
  let gaAdmin: Session;

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    auditor = await login(t.app, 'auditor');
    gaAdmin = await login(t.app, 'ga_admin');
  });
  afterAll(async () => {
    await t.close();
  });

  it('filters users by role, text and disabled, pages on the server, and never shows a password hash', async () => {
    const get = async (s: Session, query: string) => {
      const res = await t.app.inject({ url: `/api/v1/users?${query}`, headers: s.headers });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/password|scrypt/i);
      return json<UserPage>(res);
    };
    const officers = await get(admin, 'role=data_officer&pageSize=200');
    expect(officers.items.length).toBeGreaterThanOrEqual(3);
    expect(officers.items.every((u) => u.role === 'data_officer')).toBe(true);

    const mz = await get(admin, 'q=MZ_');
    expect(mz.items.map((u) => u.username).sort()).toEqual(['mz_admin', 'mz_officer']);
    const byName = await get(admin, `q=${encodeURIComponent('民政局管理')}`);
    expect(byName.items.map((u) => u.username)).toEqual(['mz_admin']);
    // A LIKE wildcard in the text is a literal character, not "anything".
    expect((await get(admin, 'q=%25')).total).toBe(0);

    const paged = await get(admin, 'page=2&pageSize=2');
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThanOrEqual(8);

    const target = (await get(admin, 'q=rs_officer')).items[0];
    if (!target) throw new Error('rs_officer missing');
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${String(target.id)}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(off.statusCode).toBe(200);
    expect((await get(admin, 'disabled=true')).items.map((u) => u.username)).toEqual(['rs_officer']);
    expect((await get(admin, 'disabled=false&q=rs_')).total).toBe(0);

    // A department administrator still sees only its own organization, whatever the filter asks.
    const own = await get(gaAdmin, 'pageSize=200');
    expect(own.items.length).toBeGreaterThan(0);
    expect(new Set(own.items.map((u) => u.orgId)).size).toBe(1);
    expect((await get(gaAdmin, 'q=mz_')).total).toBe(0);
  });

  it('previews a year schedule without writing it: unknown days, changed days, kept overrides', async () => {
    const schedule = {
      document: '测试用节假日安排（非官方）',
      holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
      workdays: ['2027-01-09'],
    };
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: admin.headers, payload });
    const preview = await post('/api/v1/calendar/years/2027/preview', schedule);
    expect(preview.statusCode).toBe(200);
    const p = json<{
      changes: { day: string; before: unknown; after: { isWorkday: boolean; name: string } }[];
      workdays: number;
    }>(preview);
    // 2027 is provisional (statutory holidays only): the adjusted working Saturday is a change.
    expect(p.changes.find((c) => c.day === '2027-01-09')).toEqual({
      day: '2027-01-09',
      before: { isWorkday: false, name: '', source: 'statutory' },
      after: { isWorkday: true, name: '调休上班（元旦）' },
    });
    expect(p.changes.every((c) => c.day.startsWith('2027-'))).toBe(true);
    const years = json<{ items: { year: number; source: string }[] }>(
      await t.app.inject({ url: '/api/v1/calendar/years', headers: admin.headers }),
    );
    expect(years.items.find((y) => y.year === 2027)?.source).toBe('statutory');

    // Load it, set one day by hand, then preview a changed schedule.
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/calendar/years/2027',
          headers: admin.headers,
          payload: schedule,
        })
      ).statusCode,
    ).toBe(200);
    const override = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2027-01-04',
      headers: admin.headers,
      payload: { isWorkday: false, note: '测试：临时放假' },
    });
    expect(override.statusCode).toBe(200);
    const second = json<{
      changes: { day: string; before: { isWorkday: boolean; source: string } | null }[];
      keptOverrides: string[];
    }>(
      await post('/api/v1/calendar/years/2027/preview', {
        ...schedule,
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-05' }],
      }),
    );
    expect(second.keptOverrides).toEqual(['2027-01-04']);
    expect(second.changes.map((c) => c.day)).toEqual(['2027-01-05']);
    expect(second.changes[0]?.before).toMatchObject({ isWorkday: true, source: 'official' });

    const bad = await post('/api/v1/calendar/years/2027/preview', {
      document: 'x',
      holidays: [{ name: '', from: '2027-13-01', to: '2027-01-02' }],
      workdays: [],
    });
    expect(bad.statusCode).toBe(400);
    const fields = json<{ fields: { field: string }[] }>(bad).fields.map((f) => f.field);
    expect(fields.length).toBeGreaterThanOrEqual(2);
    expect(fields).toEqual(expect.arrayContaining(['holidays.0.name', 'holidays.0.from']));

    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/years/2027/preview',
      headers: gaAdmin.headers,
      payload: schedule,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('shows one audit event with its canonical content and hashes, and audits the reading', async () => {
    const res = await t.app.inject({ url: '/api/v1/audit/events/2', headers: auditor.headers });
    expect(res.statusCode).toBe(200);
    const e = json<{ seq: number; prevHash: string; hash: string; canonical: string; hashMatches: boolean }>(
      res,
    );
    const first = json<{ hash: string }>(
      await t.app.inject({ url: '/api/v1/audit/events/1', headers: auditor.headers }),
    );
    expect(e.seq).toBe(2);
    expect(e.prevHash).toBe(first.hash);
    expect(e.hashMatches).toBe(true);
    expect(JSON.parse(e.canonical)).toMatchObject({ seq: 2 });

    expect(
      (await t.app.inject({ url: '/api/v1/audit/events/99999999', headers: auditor.headers })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/audit/events/2', headers: admin.headers })).statusCode).toBe(
      403,
    );

    const reads = json<{ items: { objectId: string; actorUsername: string }[] }>(
      await t.app.inject({ url: '/api/v1/audit/events?action=audit.read', headers: auditor.headers }),
    );
    expect(reads.items.some((r) => r.objectId === '2' && r.actorUsername === 'auditor')).toBe(true);
  });

  it('verifies the chain segment by segment to the head, and names the first broken event', async () => {
    const verify = async (afterSeq: number, limit: number) => {
      const res = await t.app.inject({
        url: `/api/v1/audit/verify?afterSeq=${afterSeq}&limit=${limit}`,
        headers: auditor.headers,
      });
      expect(res.statusCode).toBe(200);
      return json<Segment>(res);
    };
    const walk = async (limit: number) => {
      let after = 0;
      let total = 0;
      for (let i = 0; i < 10_000; i++) {
        const s = await verify(after, limit);
        total += s.checked;
        if (s.done) return { last: s, total };
        expect(s.lastSeq).toBe(after + s.checked);
        after = s.lastSeq;
      }
      throw new Error('verification never reached the head');
    };
    const good = await walk(200);
    expect(good.last.ok).toBe(true);
    expect(good.last.broken).toBeNull();
    expect(good.total).toBe(good.last.lastSeq);
    expect(good.total).toBeGreaterThan(200);

    // Tamper with an event, as a DBA could, and the walk stops there.
    await tamperAuditEvent(t.db, 150);
    const bad = await walk(100);
    expect(bad.last.ok).toBe(false);
    expect(bad.last.done).toBe(true);
    expect(bad.last.broken).toMatchObject({ seq: 150, reason: 'content does not match its hash' });
    const detail = json<{ hashMatches: boolean }>(
      await t.app.inject({ url: '/api/v1/audit/events/150', headers: auditor.headers }),
    );
    expect(detail.hashMatches).toBe(false);
  });
});
