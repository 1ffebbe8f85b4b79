/** The confidentiality agreement (保密协议, seed 004 §18) generated for each grant. */
import { ACCESS_MODES, PURPOSE_CATEGORIES } from './sharing.machine.js';
import type { ShareGrantRow } from './sharing.table.js';

export interface AgreementParties {
  consumerName: string;
  providerName: string;
  resourceName: string;
  resourceCode: string;
}

/** The agreement's text; its SM3 digest is what both sides accept. */
export function agreementText(g: ShareGrantRow, p: AgreementParties): string {
  const items = g.items.map((i) => i.name).join('、');
  const purpose = g.purpose_category ? PURPOSE_CATEGORIES[g.purpose_category] : '';
  const mode = g.access_mode ? ACCESS_MODES[g.access_mode] : '';
  return [
    '政务信息资源共享保密协议',
    '',
    `数据提供方（甲方）：${p.providerName}`,
    `数据使用方（乙方）：${p.consumerName}`,
    `共享资源：${p.resourceName}（${p.resourceCode}）`,
    `共享信息项：${items}`,
    `使用用途：${purpose}　${g.purpose}`,
    `共享方式：${mode}`,
    `使用期限：${g.valid_from} 至 ${g.valid_to}`,
    '',
    '一、乙方仅将共享信息用于上述申明的用途，不得用于其他目的。',
    '二、乙方不得以任何形式将共享信息（含原始或加工形式）提供给第三方。',
    '三、乙方应采取必要的安全措施保护共享信息，防止泄露、篡改和丢失，并如实记录使用场景、过程、效果和存储情况。',
    '四、共享信息不再需要时，乙方应按甲方要求予以销毁并记录销毁情况。',
    '五、违反本协议造成损失的，依法追究相关单位和人员的责任；共享主管部门可暂停乙方的共享权限。',
    '六、本协议经双方授权人员确认后生效，电子确认与手写签名具有同等法律效力。',
    '',
    `授权编号：${g.id}`,
  ].join('\n');
}
