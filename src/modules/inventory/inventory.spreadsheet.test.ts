import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import type { SystemView } from './inventory.model.js';
import { SHEET_1, SHEET_2, SHEET_3, SHEET_4 } from './inventory.spreadsheet.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(buf).buffer);
  return wb;
}

describe('inventory spreadsheets (R2.5)', () => {
  let t: TestApp;
  let admin: Session;
  let gaAdmin: Session;
  let gaOrg = '';

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    gaAdmin = await login(t.app, 'ga_admin');
    gaOrg = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: gaAdmin.headers }),
    ).activeOrgId;
  });
  afterAll(async () => t.close());

  const count = async () =>
    json<SystemView[]>(await t.app.inject({ url: '/api/v1/inventory/systems', headers: admin.headers }))
      .length;

  it('exports the four standard tables', async () => {
    const res = await t.app.inject({ url: '/api/v1/inventory/export.xlsx', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET_1, SHEET_2, SHEET_3, SHEET_4]);
    const total = await count();
    expect(wb.getWorksheet(SHEET_1)?.rowCount).toBe(total + 1);
    expect(wb.getWorksheet(SHEET_1)?.getRow(2).getCell(2).value).toBeTruthy();
    const t4 = wb.getWorksheet(SHEET_4);
    let sum = 0;
    t4?.eachRow((row, n) => {
      if (n > 1) sum += Number(row.getCell(3).value);
    });
    expect(sum).toBe(total);
    // A department exports only its own.
    const own = await workbook(
      (await t.app.inject({ url: '/api/v1/inventory/export.xlsx', headers: gaAdmin.headers })).rawPayload,
    );
    const names = new Set<string>();
    own.getWorksheet(SHEET_1)?.eachRow((row, n) => {
      if (n > 1) names.add(String(row.getCell(2).value));
    });
    expect([...names]).toEqual(['咸宁市公安局']);
  });

  it('imports 表1 all or nothing, naming every bad cell', async () => {
    const exported = await workbook(
      (await t.app.inject({ url: '/api/v1/inventory/export.xlsx', headers: gaAdmin.headers })).rawPayload,
    );
    const ws = exported.getWorksheet(SHEET_1);
    if (!ws) throw new Error('no sheet');
    const rows = ws.rowCount - 1;
    ws.eachRow((row, n) => {
      if (n > 1) row.getCell(3).value = `${String(row.getCell(3).value)}（导入）`;
    });
    const before = await count();

    // Two bad cells: a network that does not exist (K3) and a classified system without its filing (T4).
    ws.getRow(3).getCell(11).value = '卫星网';
    ws.getRow(4).getCell(19).value = '是';
    ws.getRow(4).getCell(20).value = null;
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/inventory/import?orgId=${gaOrg}`,
      headers: { ...gaAdmin.headers, 'content-type': XLSX },
      payload: Buffer.from(await exported.xlsx.writeBuffer()),
    });
    expect(bad.statusCode, bad.body).toBe(400);
    const fields = json<{ fields: { field: string; rule: string }[] }>(bad).fields;
    expect(fields.map((f) => f.field)).toEqual([`${SHEET_1}!K3`, `${SHEET_1}!T4`]);
    expect(fields.map((f) => f.rule)).toEqual(['cell.network', 'required_if_classified']);
    expect(await count()).toBe(before);

    ws.getRow(3).getCell(11).value = '业务专网';
    ws.getRow(4).getCell(19).value = '否';
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/inventory/import?orgId=${gaOrg}`,
      headers: { ...gaAdmin.headers, 'content-type': XLSX },
      payload: Buffer.from(await exported.xlsx.writeBuffer()),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<{ created: number }>(ok).created).toBe(rows);
    expect(await count()).toBe(before + rows);
    const event = await t.db.kysely
      .selectFrom('audit_event')
      .select('detail')
      .where('action', '=', 'inventory.system.import')
      .executeTakeFirstOrThrow();
    expect(event.detail).toMatchObject({ systems: rows });
  });
});
