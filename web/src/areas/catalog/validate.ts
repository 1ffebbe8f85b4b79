/**
 * The entry editor's instant checks: the same rules the server's validateEntry() enforces (涉密 refused,
 * conditional sharing needs both conditions, not shared needs a legal basis of a kind the active policy
 * accepts, share modes must fit the format, items required for databases and spreadsheets, lengths for
 * C/N/Y/B/F items …), phrased for the form. The server stays the judge: its field errors are shown too.
 */

/** The value sets the rules need (a subset of GET /catalog/value-sets). Self-contained, so the server's
 * test suite can hold these rules against validateEntry(). */
export interface RuleSets {
  formatCategories: Record<string, string>;
  formatTypes: Record<string, string[]>;
  modesForFormat: Record<string, string[]>;
  formatsRequiringItems: string[];
  shareModes: Record<string, string>;
  basisKinds: Record<string, string>;
  acceptedBasisKinds: unknown;
}

/** The words of the rules (words/catalog.ts). */
export type RuleKey =
  | 'catalogEdit.v.required'
  | 'catalogEdit.v.classified'
  | 'catalogEdit.v.classCode'
  | 'catalogEdit.v.nameLength'
  | 'catalogEdit.v.formatType'
  | 'catalogEdit.v.conditionScope'
  | 'catalogEdit.v.conditionUse'
  | 'catalogEdit.v.basisKind'
  | 'catalogEdit.v.basisKindNotAccepted'
  | 'catalogEdit.v.basis'
  | 'catalogEdit.v.shareModes'
  | 'catalogEdit.v.modeMismatch'
  | 'catalogEdit.v.openCondition'
  | 'catalogEdit.v.basicLibrary'
  | 'catalogEdit.v.relatedCode'
  | 'catalogEdit.v.nonNegative'
  | 'catalogEdit.v.integer'
  | 'catalogEdit.v.itemsRequired'
  | 'catalogEdit.v.itemDuplicate'
  | 'catalogEdit.v.lengthRequired'
  | 'catalogEdit.v.lengthRange';

/** What the form holds (EntryInput with the optional parts loosened while typing). */
export interface EditorItem {
  name?: string;
  dataType?: string;
  length?: number | null;
  description?: string;
  collectingOrgId?: string | null;
  sensitivity?: string;
  masking?: string;
  standardElement?: string | null;
}

export interface EditorValues {
  classCode?: string;
  className?: string;
  name?: string;
  providerOrgId?: string;
  providerUnit?: string;
  summary?: string;
  formatCategory?: string;
  formatType?: string;
  shareType?: string;
  shareConditionScope?: string;
  shareConditionUse?: string;
  notSharedBasisKind?: string | null;
  notSharedBasis?: string;
  shareModes?: string[];
  openType?: string;
  openCondition?: string;
  updateCycle?: string;
  relatedCodes?: string[];
  sourceSystem?: string;
  basicLibrary?: string | null;
  classified?: boolean;
  dataCategory?: string;
  dataGrade?: string;
  census?: Record<string, number | null | undefined>;
  items?: EditorItem[];
}

export interface Problem {
  /** The field as the server names it: 'shareModes', 'items[2].length'. */
  field: string;
  key: RuleKey;
  vars?: Record<string, string | number>;
}

const LENGTH_TYPES = new Set(['C', 'N', 'Y', 'B', 'F']);
const MAX_LENGTH = 2_147_483_647;
const RELATED_CODE = /^([123]\d{5,})\/(\d{3,})$/;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Every problem of the form's values at once, each at its field. */
export function validateEditor(v: EditorValues, sets: RuleSets | undefined): Problem[] {
  const p: Problem[] = [];
  const add = (field: string, key: RuleKey, vars?: Record<string, string | number>) =>
    p.push({ field, key, ...(vars ? { vars } : {}) });

  if (v.classified === true) add('classified', 'catalogEdit.v.classified');
  if (!/^[123]\d{5,}$/.test(v.classCode ?? '')) add('classCode', 'catalogEdit.v.classCode');
  if (!text(v.className)) add('className', 'catalogEdit.v.required');
  if (!text(v.name)) add('name', 'catalogEdit.v.required');
  else if ((v.name ?? '').length > 200) add('name', 'catalogEdit.v.nameLength');
  if (!v.providerOrgId) add('providerOrgId', 'catalogEdit.v.required');
  if (!text(v.summary)) add('summary', 'catalogEdit.v.required');

  const format = v.formatCategory ?? '';
  const formatOk = Boolean(format && sets?.formatCategories[format]);
  if (!format) add('formatCategory', 'catalogEdit.v.required');
  else if (formatOk && !(sets?.formatTypes[format] ?? []).includes(v.formatType ?? '')) {
    add('formatType', 'catalogEdit.v.formatType');
  }

  if (!v.shareType) add('shareType', 'catalogEdit.v.required');
  else if (v.shareType === 'conditional') {
    if (!text(v.shareConditionScope)) add('shareConditionScope', 'catalogEdit.v.conditionScope');
    if (!text(v.shareConditionUse)) add('shareConditionUse', 'catalogEdit.v.conditionUse');
  } else if (v.shareType === 'not_shared') {
    const accepted = Array.isArray(sets?.acceptedBasisKinds) ? (sets.acceptedBasisKinds as string[]) : [];
    if (!v.notSharedBasisKind) add('notSharedBasisKind', 'catalogEdit.v.basisKind');
    else if (accepted.length && !accepted.includes(v.notSharedBasisKind)) {
      add('notSharedBasisKind', 'catalogEdit.v.basisKindNotAccepted', {
        accepted: accepted.map((k) => sets?.basisKinds[k] ?? k).join('、'),
      });
    }
    if (!text(v.notSharedBasis)) add('notSharedBasis', 'catalogEdit.v.basis');
  }

  const modes = v.shareModes ?? [];
  if (v.shareType && v.shareType !== 'not_shared' && modes.length === 0) {
    add('shareModes', 'catalogEdit.v.shareModes');
  }
  if (formatOk) {
    const fit = sets?.modesForFormat[format] ?? [];
    const misfit = modes.filter((m) => !fit.includes(m));
    if (misfit.length) {
      add('shareModes', 'catalogEdit.v.modeMismatch', {
        modes: misfit.map((m) => sets?.shareModes[m] ?? m).join('、'),
        fit: fit.map((m) => sets?.shareModes[m] ?? m).join('、'),
      });
    }
  }

  if (!v.openType) add('openType', 'catalogEdit.v.required');
  else if (v.openType === 'authorized' && !text(v.openCondition)) {
    add('openCondition', 'catalogEdit.v.openCondition');
  }
  if (!v.updateCycle) add('updateCycle', 'catalogEdit.v.required');
  if (!v.dataGrade) add('dataGrade', 'catalogEdit.v.required');
  if (v.classCode?.startsWith('1') && !v.basicLibrary) add('basicLibrary', 'catalogEdit.v.basicLibrary');
  (v.relatedCodes ?? []).forEach((c) => {
    if (!RELATED_CODE.test(c)) add('relatedCodes', 'catalogEdit.v.relatedCode', { code: c });
  });
  for (const [k, n] of Object.entries(v.census ?? {})) {
    if (n === null || n === undefined) continue;
    if (!Number.isFinite(n) || n < 0) add(`census.${k}`, 'catalogEdit.v.nonNegative');
    else if (/Records|Count/.test(k) && !Number.isSafeInteger(n)) add(`census.${k}`, 'catalogEdit.v.integer');
  }

  const items = v.items ?? [];
  if (formatOk && (sets?.formatsRequiringItems ?? []).includes(format) && items.length === 0) {
    add('items', 'catalogEdit.v.itemsRequired');
  }
  const seen = new Set<string>();
  items.forEach((it, i) => {
    const f = (x: string) => `items[${i}].${x}`;
    const name = text(it?.name);
    if (!name) add(f('name'), 'catalogEdit.v.required');
    else if (seen.has(name)) add(f('name'), 'catalogEdit.v.itemDuplicate', { name });
    seen.add(name);
    if (!it?.dataType) add(f('dataType'), 'catalogEdit.v.required');
    else if (
      LENGTH_TYPES.has(it.dataType) &&
      (it.length == null || !Number.isInteger(it.length) || it.length <= 0)
    ) {
      add(f('length'), 'catalogEdit.v.lengthRequired');
    } else if (
      it.length != null &&
      (!Number.isInteger(it.length) || it.length <= 0 || it.length > MAX_LENGTH)
    ) {
      add(f('length'), 'catalogEdit.v.lengthRange');
    }
  });
  return p;
}

/** 'items[2].length' → 'items.2.length' (how the editor keys a field). */
export function fieldKey(path: readonly (string | number)[] | string): string {
  return (typeof path === 'string' ? path : path.join('.')).replace(/\[(\d+)\]/g, '.$1');
}
