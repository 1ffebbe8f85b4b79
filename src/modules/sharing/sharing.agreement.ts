/**
 * The confidentiality agreement (保密协议, seed 004 §18; 条例 Arts. 27–29) generated for each grant.
 *
 * The text is created once, with the grant, and stored with its SM3 digest; both sides accept that
 * digest. `agreementText` is therefore a pure function of the grant row and the parties' names: the
 * same input always gives the same text, and nothing in it depends on the time it is generated.
 *
 * The printable document (`agreementHtml`) is rendered from the stored text itself, so what is
 * printed is exactly what was digested and accepted; its structure is recognized line by line:
 * the first line is the title, a short line like "一、共享事项" a heading, "第N条" a clause,
 * "名称：内容" a particular, anything else a paragraph.
 */
import { ACCESS_MODES, GRANT_STATUSES, PURPOSE_CATEGORIES } from './sharing.machine.js';
import type { ShareGrantRow } from './sharing.table.js';

export interface AgreementParties {
  consumerName: string;
  providerName: string;
  resourceName: string;
  resourceCode: string;
}

export const AGREEMENT_TITLE = '政务数据共享保密协议';

/** The agreement's text; its SM3 digest is what both sides accept. Deterministic for the same grant. */
export function agreementText(g: ShareGrantRow, p: AgreementParties): string {
  const items = g.items.map((i) => i.name);
  const category = g.purpose_category ? PURPOSE_CATEGORIES[g.purpose_category] : '';
  const purpose = [category, g.purpose.trim()].filter((s) => s !== '').join('：') || '（未载明）';
  const mode = g.access_mode ? ACCESS_MODES[g.access_mode] : '按共享平台确定的方式';
  const resource =
    (p.resourceName.trim() || '目录外数据') + (p.resourceCode.trim() ? `（${p.resourceCode.trim()}）` : '');
  return [
    AGREEMENT_TITLE,
    '',
    `授权编号：${g.id}`,
    `甲方（数据提供方）：${p.providerName}`,
    `乙方（数据使用方）：${p.consumerName}`,
    '',
    '一、共享事项',
    `共享资源：${resource}`,
    `共享信息项：${items.length ? `${items.join('、')}（共 ${items.length} 项）` : '（无）'}`,
    `使用用途：${purpose}`,
    `共享方式：${mode}`,
    `使用期限：自 ${g.valid_from} 起至 ${g.valid_to} 止`,
    '',
    '二、使用与保密',
    '第一条　乙方只能按照本协议载明的用途，在履行本部门职责需要的范围内使用共享数据，不得用于或者变相用于其他目的。',
    '第二条　乙方不得直接或者以改变数据形式等方式将共享数据提供给第三方，也不得向社会公开。',
    '第三条　乙方应当将共享数据的知悉范围限定于履行职责所必需的工作人员，落实身份认证、访问控制和审计追踪等措施，防止共享数据泄露、篡改、丢失或者被非法使用；涉及个人信息的，遵循最小必要原则，依法予以保护。',
    '第四条　甲方应当保障所提供数据的完整性、准确性、时效性和可用性，并与本部门所掌握的数据保持一致；对乙方提出的数据疑义，按照规定及时核查和更正。',
    '第五条　甲方已对提交共享的数据进行保密审查，共享数据不涉及国家秘密。',
    '',
    '三、使用记录与销毁',
    '第六条　乙方应当如实记录共享数据的应用场景、使用过程、使用效果和存储情况，使用记录保存期限不少于三年。',
    '第七条　共享数据不再需要，或者本授权被撤销、期满终止的，乙方应当按照甲方的要求及时销毁共享数据，并记录销毁情况。',
    '第八条　甲方终止或者变更共享服务的，应当事先与乙方协商，并向共享主管部门备案。',
    '',
    '四、责任与争议',
    '第九条　乙方超出用途使用或者违反本协议的，共享主管部门可以暂停其共享权限；造成损失的，依法追究相关单位和直接责任人员的责任。',
    '第十条　双方因本协议发生争议的，应当先行协商；协商不成的，按照政务数据共享争议处理程序提请共享主管部门协调解决。',
    '第十一条　本协议约定的保密义务不因授权期满、撤销或者终止而解除。',
    '',
    '五、生效',
    '第十二条　本协议经甲乙双方授权人员通过共享平台以电子方式确认后生效。可靠的电子签名与手写签名或者盖章具有同等的法律效力。',
    '第十三条　本协议正文以其 SM3 密码杂凑值标识，双方确认的是该杂凑值所对应的正文；正文的任何改动均使该杂凑值不再相符。',
    '',
    '本协议依据《咸宁市政务信息资源共享管理实施细则》第四条、第十八条、第二十四条和《政务数据共享条例》第二十七条、第二十九条订立。',
  ].join('\n');
}

// ── the printable document ───────────────────────────────────────────────────────────────

export interface AgreementAcceptance {
  /** The accepting officer's name as shown (display name and username). */
  name: string;
  at: Date;
}

export interface AgreementPrint {
  text: string;
  digest: string;
  /** Whether SM3 of the stored text still equals the stored digest. */
  digestValid: boolean;
  grantId: string;
  grantStatus: ShareGrantRow['status'];
  providerName: string;
  consumerName: string;
  providerAcceptance: AgreementAcceptance | null;
  consumerAcceptance: AgreementAcceptance | null;
  printedAt: Date;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A moment in China Standard Time (UTC+8), 'YYYY-MM-DD HH:mm'. */
export function chinaDateTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const HEADING = /^[一二三四五六七八九十]+、[^。，；：:]{1,24}$/;
const CLAUSE = /^(第[一二三四五六七八九十百零]+条)[\s　]*(.*)$/;
const FIELD = /^([^：。，；]{1,24})：(.*)$/;

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'clause'; label: string; text: string }
  | { kind: 'fields'; rows: [string, string][] }
  | { kind: 'para'; text: string };

/** The stored text as blocks; the title line is left out (the document prints it as its heading). */
export function agreementBlocks(text: string): { title: string; blocks: Block[] } {
  const lines = text.split('\n');
  const title = (lines[0] ?? '').trim() || AGREEMENT_TITLE;
  const blocks: Block[] = [];
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    if (!line) continue;
    const clause = CLAUSE.exec(line);
    const field = FIELD.exec(line);
    if (HEADING.test(line)) blocks.push({ kind: 'heading', text: line });
    else if (clause) blocks.push({ kind: 'clause', label: clause[1] ?? '', text: clause[2] ?? '' });
    else if (field) {
      const last = blocks.at(-1);
      const row: [string, string] = [field[1] ?? '', field[2] ?? ''];
      if (last?.kind === 'fields') last.rows.push(row);
      else blocks.push({ kind: 'fields', rows: [row] });
    } else blocks.push({ kind: 'para', text: line });
  }
  return { title, blocks };
}

const CSS = `
@page { size: A4; margin: 22mm 20mm 20mm 20mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; color: #000; background: #fff;
  font-family: "FangSong", "STFangsong", "SimSun", "Songti SC", "Noto Serif CJK SC", serif;
  font-size: 12pt; line-height: 1.75;
}
h1 {
  font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif;
  text-align: center; font-size: 20pt; letter-spacing: 0.15em; margin: 0 0 6mm;
}
h2 {
  font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif;
  font-size: 13.5pt; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid;
}
h3 { font-size: 12pt; margin: 0 0 2mm; }
p { margin: 0 0 1.5mm; }
.meta { display: flex; justify-content: space-between; font-size: 9pt; color: #333; margin-bottom: 6mm; }
table.fields { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm; }
table.fields th, table.fields td { border: 0.5pt solid #000; padding: 1.5mm 2.5mm; vertical-align: top; text-align: left; }
table.fields th { width: 44mm; font-weight: normal; background: #f2f2f2; white-space: nowrap; }
p.clause { text-indent: 2em; text-align: justify; }
p.clause b { font-family: "SimHei", "Heiti SC", sans-serif; font-weight: normal; }
.digest { font-family: "Consolas", "Courier New", monospace; font-size: 10pt; word-break: break-all; }
.warning { border: 1pt solid #b00; color: #b00; padding: 2mm 3mm; margin: 3mm 0; }
.signatures { display: flex; gap: 10mm; margin-top: 8mm; break-inside: avoid; page-break-inside: avoid; }
.party { flex: 1; border: 0.5pt solid #000; padding: 4mm; min-height: 62mm; }
.party p { margin-bottom: 2.5mm; }
.blank { display: inline-block; min-width: 42mm; border-bottom: 0.75pt solid #000; }
.blank.short { min-width: 12mm; }
.seal { margin-top: 8mm; text-align: right; color: #333; }
.accepted { color: #000; }
footer { margin-top: 8mm; font-size: 9pt; color: #333; border-top: 0.5pt solid #999; padding-top: 2mm; }
@media screen {
  html { background: #e6e6e6; }
  body { width: 210mm; min-height: 297mm; padding: 22mm 20mm 20mm; margin: 8mm auto; box-shadow: 0 0 4mm rgba(0,0,0,.25); }
}
@media print {
  html, body { background: #fff; }
  body { width: auto; margin: 0; padding: 0; box-shadow: none; }
  .screen-only { display: none; }
  table.fields th { background: #f2f2f2; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`.trim();

function partyBlock(
  side: '甲方（数据提供方）' | '乙方（数据使用方）',
  org: string,
  a: AgreementAcceptance | null,
): string {
  const rows = a
    ? [
        `<p>单位：${escapeHtml(org)}</p>`,
        `<p class="accepted">授权人员：${escapeHtml(a.name)}</p>`,
        `<p class="accepted">确认时间：${escapeHtml(chinaDateTime(a.at))}（北京时间）</p>`,
        '<p>确认方式：共享平台电子确认（核对正文 SM3 杂凑值）</p>',
      ]
    : [
        `<p>单位：${escapeHtml(org)}</p>`,
        '<p>授权人员（签字）：<span class="blank"></span></p>',
        '<p>日期：<span class="blank short"></span>年<span class="blank short"></span>月<span class="blank short"></span>日</p>',
        '<p>确认方式：<span class="blank"></span></p>',
      ];
  return [
    '<div class="party">',
    `<h3>${side}</h3>`,
    ...rows,
    '<p class="seal">（单位盖章）</p>',
    '</div>',
  ].join('\n');
}

/** The complete printable agreement: one A4 HTML document, UTF-8, self-contained (no scripts, no links). */
export function agreementHtml(d: AgreementPrint): string {
  const { title, blocks } = agreementBlocks(d.text);
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        body.push(`<h2>${escapeHtml(b.text)}</h2>`);
        break;
      case 'clause':
        body.push(`<p class="clause"><b>${escapeHtml(b.label)}</b>　${escapeHtml(b.text)}</p>`);
        break;
      case 'fields':
        body.push(
          '<table class="fields"><tbody>',
          ...b.rows.map(
            ([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
          ),
          '</tbody></table>',
        );
        break;
      case 'para':
        body.push(`<p>${escapeHtml(b.text)}</p>`);
        break;
    }
  }
  const accepted = d.providerAcceptance && d.consumerAcceptance;
  const state = accepted
    ? '双方已确认，协议生效'
    : d.providerAcceptance || d.consumerAcceptance
      ? '一方已确认'
      : '待双方确认';
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}（${escapeHtml(d.providerName)} — ${escapeHtml(d.consumerName)}）</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<div class="meta">',
    `<span>授权编号：${escapeHtml(d.grantId)}</span>`,
    `<span>授权状态：${escapeHtml(GRANT_STATUSES[d.grantStatus])}　协议状态：${state}</span>`,
    '</div>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<article>',
    ...body,
    '</article>',
    '<section class="integrity">',
    '<h2>协议正文杂凑值</h2>',
    `<p>SM3（UTF-8 正文）：<span class="digest">${escapeHtml(d.digest)}</span></p>`,
    '<p>核对方法：对共享平台保存的协议正文按 UTF-8 编码计算 SM3 杂凑值（GB/T 32905），应与上述值一致。</p>',
    d.digestValid
      ? ''
      : '<p class="warning">警告：平台保存的正文与其杂凑值不符，本打印件不能作为双方确认的协议文本。</p>',
    '</section>',
    '<section class="signatures">',
    partyBlock('甲方（数据提供方）', d.providerName, d.providerAcceptance),
    partyBlock('乙方（数据使用方）', d.consumerName, d.consumerAcceptance),
    '</section>',
    `<footer>由政务数据共享平台生成，打印时间 ${escapeHtml(chinaDateTime(d.printedAt))}（北京时间）。电子确认记录已写入平台审计日志。</footer>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
