/**
 * The console's entry editor checks instantly what the API enforces: for each rule, the editor's
 * validate.ts and the server's validateEntry() flag the same fields (an index like shareModes[1] is
 * the control shareModes in the form).
 */
import { describe, expect, it } from 'vitest';
import type { EntryInput } from '../src/modules/catalog/catalog.model.js';
import { validateEntry } from '../src/modules/catalog/catalog.service.js';
import * as values from '../src/modules/catalog/catalog.values.js';
import { type EditorValues, type RuleSets, validateEditor } from '../web/src/areas/catalog/validate.js';

const ORG = '00000000-0000-4000-8000-000000000001';
const ACCEPTED = ['law', 'administrative_regulation', 'state_council_decision'];

const SETS: RuleSets = {
  formatCategories: values.FORMAT_CATEGORIES,
  formatTypes: Object.fromEntries(Object.entries(values.FORMAT_TYPES).map(([k, v]) => [k, [...v]])),
  modesForFormat: Object.fromEntries(Object.entries(values.MODES_FOR_FORMAT).map(([k, v]) => [k, [...v]])),
  formatsRequiringItems: [...values.FORMATS_REQUIRING_ITEMS],
  shareModes: values.SHARE_MODES,
  basisKinds: values.BASIS_KINDS,
  acceptedBasisKinds: ACCEPTED,
};

function entry(over: Partial<EntryInput> = {}): EntryInput {
  return {
    classCode: '301002',
    className: '部门信息资源/公安/户政管理',
    name: '户口迁移登记信息',
    providerOrgId: ORG,
    summary: '户口迁入、迁出登记',
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'not_open',
    updateCycle: 'daily',
    dataGrade: 'general',
    items: [{ name: '公民身份号码', dataType: 'C', length: 18 }],
    ...over,
  };
}

const serverFields = (input: EntryInput) =>
  [
    ...new Set(
      validateEntry(input, { orgIds: new Set([ORG]), acceptedBasisKinds: ACCEPTED }).map((p) =>
        p.field.replace(/\[\d+\]$/, ''),
      ),
    ),
  ].sort();
const editorFields = (input: EntryInput) =>
  [...new Set(validateEditor(input as unknown as EditorValues, SETS).map((p) => p.field))].sort();

const CASES: [string, Partial<EntryInput>, string[]][] = [
  ['a complete entry', {}, []],
  [
    'conditional sharing without its conditions',
    { shareType: 'conditional' },
    ['shareConditionScope', 'shareConditionUse'],
  ],
  [
    'not shared on a basis kind the policy does not accept',
    { shareType: 'not_shared', notSharedBasisKind: 'policy_document', shareModes: [] },
    ['notSharedBasis', 'notSharedBasisKind'],
  ],
  [
    'not shared without any basis',
    { shareType: 'not_shared', shareModes: [] },
    ['notSharedBasis', 'notSharedBasisKind'],
  ],
  ['a classified resource', { classified: true }, ['classified']],
  ['a database shared by file', { shareModes: ['file'] }, ['shareModes']],
  ['no share mode', { shareModes: [] }, ['shareModes']],
  ['a database without items', { items: [] }, ['items']],
  [
    'a file without items is fine',
    { formatCategory: 'electronic_file', formatType: 'pdf', shareModes: ['file'], items: [] },
    [],
  ],
  ['a format type of another category', { formatType: 'pdf' }, ['formatType']],
  [
    'an item without its length, and a name twice',
    {
      items: [
        { name: '姓名', dataType: 'C' },
        { name: '姓名', dataType: 'D' },
      ],
    },
    ['items[0].length', 'items[1].name'],
  ],
  ['a basic resource without its library', { classCode: '101009' }, ['basicLibrary']],
  ['a malformed class code', { classCode: '41' }, ['classCode']],
  ['authorized opening without its condition', { openType: 'authorized' }, ['openCondition']],
  ['a malformed related code', { relatedCodes: ['101001-0001'] }, ['relatedCodes']],
];

describe('the entry editor checks what the API enforces', () => {
  for (const [name, over, expected] of CASES) {
    it(name, () => {
      const input = entry(over);
      expect(serverFields(input)).toEqual(expected);
      expect(editorFields(input)).toEqual(expected);
    });
  }
});
