/**
 * The four standard tables of the 清查 (seed 000 attachments, R2.5) as one workbook — 表1 现有信息系统,
 * 表2 整合后信息系统, 表3 接入共享平台的信息系统, 表4 主管部门 — and the import of 表1, all or nothing:
 * every row is checked, each problem reported at its cell (`表1 现有信息系统!J7`); only a file without a
 * single problem is written, in one transaction.
 */
import ExcelJS from 'exceljs';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import {
  checkInput,
  DEPLOYMENT_ZH,
  DEPLOYMENTS,
  type Deployment,
  DISPOSITION_ZH,
  NETWORK_ZH,
  NETWORKS,
  type Network,
  type SystemInput,
  type SystemView,
} from './inventory.model.js';
import type { InventoryService } from './inventory.service.js';

export const SHEET_1 = '表1 现有信息系统';
export const SHEET_2 = '表2 整合后信息系统';
export const SHEET_3 = '表3 接入共享平台的信息系统';
export const SHEET_4 = '表4 主管部门';
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

type Kind = 'text' | 'text?' | 'date?' | 'number' | 'int' | 'int?' | 'bool' | 'network' | 'deployment';
type Key = Exclude<keyof SystemInput, 'orgId' | 'catalogEntryIds' | 'replacedById'>;

const COLUMNS: { key: Key; header: string; kind: Kind }[] = [
  { key: 'name', header: '系统名称', kind: 'text' },
  { key: 'internalUnit', header: '内设科室', kind: 'text?' },
  { key: 'functionDescription', header: '功能描述', kind: 'text' },
  { key: 'scopeOfUse', header: '使用范围', kind: 'text?' },
  { key: 'frequencyOfUse', header: '使用频度', kind: 'text?' },
  { key: 'approvingDepartment', header: '审批部门', kind: 'text?' },
  { key: 'approvalDate', header: '审批时间', kind: 'date?' },
  { key: 'fundingSource', header: '经费来源', kind: 'text?' },
  { key: 'network', header: '承载网络', kind: 'network' },
  { key: 'builder', header: '建设单位', kind: 'text?' },
  { key: 'investmentWan', header: '投资金额（万元）', kind: 'number' },
  { key: 'omCostWan', header: '年运维费用（万元）', kind: 'number' },
  { key: 'fundingChannel', header: '经费渠道', kind: 'text?' },
  { key: 'dataResources', header: '数据资源', kind: 'text?' },
  { key: 'protectionLevel', header: '等级保护级别', kind: 'int?' },
  { key: 'protectionFilingNo', header: '等级保护备案编号', kind: 'text?' },
  { key: 'classified', header: '是否涉密', kind: 'bool' },
  { key: 'classifiedFilingNo', header: '分级保护备案编号', kind: 'text?' },
  { key: 'deployment', header: '部署方式', kind: 'deployment' },
  { key: 'monthlyActiveUsers', header: '月活跃用户数', kind: 'int' },
  { key: 'monthlyTransactions', header: '月业务量', kind: 'int' },
  { key: 'lastMaintenanceOn', header: '最近运维日期', kind: 'date?' },
  { key: 'utilizationPct', header: '资源利用率（%）', kind: 'number' },
  { key: 'businessLink', header: '业务是否存在', kind: 'bool' },
  { key: 'mustConnect', header: '是否应接入共享平台', kind: 'bool' },
  { key: 'connected', header: '是否已接入共享平台', kind: 'bool' },
];
/** 表1 begins with 序号 and 所属部门 (ignored on import: rows go to the chosen organization). */
const LEAD = ['序号', '所属部门'];

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return v.result === undefined ? '' : cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
    return '';
  }
  return String(v).trim();
}

function boolText(b: boolean): string {
  return b ? '是' : '否';
}

function exportValue(s: SystemView, c: (typeof COLUMNS)[number]): string | number | null {
  const v = s[c.key];
  if (c.kind === 'network') return NETWORK_ZH[v as Network];
  if (c.kind === 'deployment') return DEPLOYMENT_ZH[v as Deployment];
  if (typeof v === 'boolean') return boolText(v);
  return v ?? null;
}

export interface ImportResult {
  created: number;
  ids: string[];
}

export class InventorySpreadsheet {
  constructor(private readonly inventory: InventoryService) {}

  async exportWorkbook(orgId: string | null): Promise<Buffer> {
    const systems = await this.inventory.list(orgId);
    const wb = new ExcelJS.Workbook();
    const header = (ws: ExcelJS.Worksheet, cells: string[]) => {
      ws.addRow(cells).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
    };
    const t1 = wb.addWorksheet(SHEET_1);
    header(t1, [...LEAD, ...COLUMNS.map((c) => c.header)]);
    systems.forEach((s, i) => {
      t1.addRow([i + 1, s.orgName, ...COLUMNS.map((c) => exportValue(s, c))]);
    });
    const t2 = wb.addWorksheet(SHEET_2);
    header(t2, ['序号', '所属部门', '系统名称', '处置方式', '完成时限', '处置说明', '部署方式', '承载网络']);
    systems
      .filter((s) => s.disposition !== 'retire' && s.disposition !== 'integrate')
      .forEach((s, i) => {
        t2.addRow([
          i + 1,
          s.orgName,
          s.name,
          s.disposition ? DISPOSITION_ZH[s.disposition] : '保留',
          s.dispositionTargetOn ?? '',
          s.dispositionNote ?? '',
          s.disposition === 'migrate_cloud' ? DEPLOYMENT_ZH.gov_cloud : DEPLOYMENT_ZH[s.deployment],
          NETWORK_ZH[s.network],
        ]);
      });
    const t3 = wb.addWorksheet(SHEET_3);
    header(t3, ['序号', '所属部门', '系统名称', '数据资源', '承载网络']);
    systems
      .filter((s) => s.connected)
      .forEach((s, i) => {
        t3.addRow([i + 1, s.orgName, s.name, s.dataResources, NETWORK_ZH[s.network]]);
      });
    const t4 = wb.addWorksheet(SHEET_4);
    header(t4, [
      '序号',
      '主管部门',
      '系统数',
      '投资合计（万元）',
      '年运维费用合计（万元）',
      '已接入平台',
      '应接未接',
    ]);
    const byOrg = new Map<string, SystemView[]>();
    for (const s of systems) byOrg.set(s.orgName, [...(byOrg.get(s.orgName) ?? []), s]);
    [...byOrg.entries()].forEach(([org, list], i) => {
      const sum = (f: (s: SystemView) => number) =>
        Math.round(list.reduce((a, s) => a + f(s), 0) * 100) / 100;
      t4.addRow([
        i + 1,
        org,
        list.length,
        sum((s) => s.investmentWan),
        sum((s) => s.omCostWan),
        list.filter((s) => s.connected).length,
        list.filter((s) => s.mustConnect && !s.connected).length,
      ]);
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** Reads 表1 into inputs for `orgId`, or throws every problem at its cell. */
  async parse(file: Buffer, orgId: string): Promise<SystemInput[]> {
    const fileError = () =>
      DomainError.validation([
        {
          field: 'file',
          rule: 'file.format',
          zh: `请上传含“${SHEET_1}”工作表的 Excel 文件（.xlsx，不超过 10 MB）`,
          en: `Send an .xlsx file (at most 10 MB) with the sheet "${SHEET_1}"`,
        },
      ]);
    if (file.length > MAX_FILE_BYTES || file.length < 4 || file.readUInt32LE(0) !== 0x04034b50)
      throw fileError();
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(new Uint8Array(file).buffer);
    } catch {
      throw fileError();
    }
    const ws = wb.getWorksheet(SHEET_1);
    if (!ws) throw fileError();
    const problems: FieldProblem[] = [];
    const at = (row: number, col: number, rule: string, zh: string, en: string) => {
      const h = col > LEAD.length ? (COLUMNS[col - LEAD.length - 1]?.header ?? '') : (LEAD[col - 1] ?? '');
      problems.push({
        field: `${SHEET_1}!${colLetter(col)}${row}`,
        rule,
        zh: `第${row}行“${h}”：${zh}`,
        en: `row ${row}, ${h}: ${en}`,
      });
    };
    const headerRow = ws.getRow(1);
    COLUMNS.forEach((c, i) => {
      const col = LEAD.length + i + 1;
      if (cellText(headerRow.getCell(col).value) !== c.header)
        at(1, col, 'header', `表头应为“${c.header}”`, `the header must be "${c.header}"`);
    });
    if (problems.length > 0) throw DomainError.validation(problems);
    const inputs: SystemInput[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const texts = COLUMNS.map((_c, i) => cellText(row.getCell(LEAD.length + i + 1).value));
      if (texts.every((t) => t === '')) continue;
      const values: Record<string, string | number | boolean | null> = {};
      const before = problems.length;
      COLUMNS.forEach((c, i) => {
        const col = LEAD.length + i + 1;
        const t = texts[i] ?? '';
        const bad = (zh: string, en: string) => at(r, col, `cell.${c.kind}`, zh, en);
        switch (c.kind) {
          case 'text':
            if (!t) bad('必填', 'required');
            values[c.key] = t;
            break;
          case 'text?':
            values[c.key] = c.key === 'internalUnit' || c.key.endsWith('FilingNo') ? t || null : t;
            break;
          case 'date?':
            if (t && !/^\d{4}-\d{2}-\d{2}$/.test(t)) bad('日期格式应为 YYYY-MM-DD', 'a date is YYYY-MM-DD');
            values[c.key] = t || null;
            break;
          case 'number':
          case 'int':
          case 'int?': {
            if (!t && c.kind === 'int?') {
              values[c.key] = null;
              break;
            }
            const n = Number(t);
            if (!t || !Number.isFinite(n) || n < 0 || (c.kind !== 'number' && !Number.isInteger(n)))
              bad(c.kind === 'number' ? '应为非负数' : '应为非负整数', 'must be a non-negative number');
            else if (c.key === 'utilizationPct' && n > 100) bad('不得超过 100', 'at most 100');
            else if (c.key === 'protectionLevel' && (n < 1 || n > 5)) bad('应为 1 至 5', 'must be 1 to 5');
            values[c.key] = n;
            break;
          }
          case 'bool':
            if (t !== '是' && t !== '否') bad('应为“是”或“否”', 'must be 是 or 否');
            values[c.key] = t === '是';
            break;
          case 'network': {
            const v = NETWORKS.find((k) => NETWORK_ZH[k] === t || k === t);
            if (!v)
              bad(
                `应为：${NETWORKS.map((k) => NETWORK_ZH[k]).join('、')}`,
                `must be one of ${NETWORKS.join(', ')}`,
              );
            values[c.key] = v ?? 'extranet';
            break;
          }
          case 'deployment': {
            const v = DEPLOYMENTS.find((k) => DEPLOYMENT_ZH[k] === t || k === t);
            if (!v) bad('应为：政务云、自有机房', 'must be gov_cloud or own_room');
            values[c.key] = v ?? 'gov_cloud';
            break;
          }
        }
      });
      if (problems.length > before) continue;
      const input = { ...values, orgId, catalogEntryIds: [], replacedById: null } as unknown as SystemInput;
      for (const p of checkInput(input)) {
        const i = COLUMNS.findIndex((c) => c.key === p.field);
        at(r, LEAD.length + i + 1, p.rule, p.zh, p.en);
      }
      inputs.push(input);
    }
    if (problems.length > 0) throw DomainError.validation(problems);
    if (inputs.length === 0)
      throw DomainError.validation([
        { field: SHEET_1, rule: 'rows.required', zh: '没有可导入的系统', en: 'No systems to import' },
      ]);
    return inputs;
  }

  async importWorkbook(meta: RequestMeta, file: Buffer, orgId: string): Promise<ImportResult> {
    const inputs = await this.parse(file, orgId);
    const ids = await this.inventory.createMany(meta, inputs);
    return { created: ids.length, ids };
  }
}
