import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  DATA_TYPES,
  FORMAT_TYPES,
  FORMATS_REQUIRING_ITEMS,
  MODES_FOR_FORMAT,
} from '../modules/catalog/catalog.values.js';
import { DEMO_CATALOG, type DemoEntry } from './catalog-data.js';
import { DEMO_ORGS } from './index.js';

const ARTICLES = [
  '第一条',
  '第二条',
  '第三条',
  '第四条',
  '第五条',
  '第六条',
  '第七条',
  '第八条',
  '第九条',
  '第十条',
  '第十一条',
  '第十二条',
  '第十三条',
  '第十四条',
  '第十五条',
  '第十六条',
  '第十七条',
];

/** The 项 of each basic library within 类 1 (基础信息资源). */
const LIBRARY_CLASS: Record<string, string> = {
  population: '101',
  legal_person: '102',
  geo: '103',
  credit: '104',
  license: '105',
};

const isPersonEntry = (e: DemoEntry): boolean => e.basicLibrary === 'population';
const isIdNumber = (name: string): boolean => name.endsWith('身份号码') || name.endsWith('证件号码');

describe('DEMO_CATALOG', () => {
  const shortNames = new Set(DEMO_ORGS.map((o) => o.shortName));

  it('names only demo organizations as providers and collecting departments', () => {
    for (const e of DEMO_CATALOG) {
      expect(shortNames, `${e.name}: provider ${e.provider}`).toContain(e.provider);
      for (const i of e.items) {
        if (i.collectingOrg === undefined) continue;
        expect(shortNames, `${e.name}/${i.name}: ${i.collectingOrg}`).toContain(i.collectingOrg);
        expect(i.collectingOrg, `${e.name}/${i.name}`).not.toBe(e.provider);
      }
    }
  });

  it('has unique entry names and unique item names within each entry', () => {
    expect(new Set(DEMO_CATALOG.map((e) => e.name)).size).toBe(DEMO_CATALOG.length);
    for (const e of DEMO_CATALOG) {
      const names = e.items.map((i) => i.name);
      expect(new Set(names).size, e.name).toBe(names.length);
    }
  });

  it('lists items for every database or spreadsheet entry, with valid types and lengths', () => {
    for (const e of DEMO_CATALOG) {
      if (FORMATS_REQUIRING_ITEMS.includes(e.formatCategory))
        expect(e.items.length, e.name).toBeGreaterThan(0);
      for (const i of e.items) {
        expect(Object.keys(DATA_TYPES), `${e.name}/${i.name}`).toContain(i.dataType);
        if (['C', 'N', 'Y', 'B', 'F'].includes(i.dataType)) {
          expect(i.length ?? 0, `${e.name}/${i.name}`).toBeGreaterThan(0);
        } else {
          expect(i.length ?? null, `${e.name}/${i.name}`).toBeNull();
        }
      }
    }
  });

  it('uses format types and share modes that fit the format category', () => {
    for (const e of DEMO_CATALOG) {
      expect(FORMAT_TYPES[e.formatCategory], e.name).toContain(e.formatType);
      expect(e.shareModes.length, e.name).toBeGreaterThan(0);
      for (const m of e.shareModes) expect(MODES_FOR_FORMAT[e.formatCategory], e.name).toContain(m);
    }
  });

  it('gives conditions where conditional or authorized, and shares every resource', () => {
    for (const e of DEMO_CATALOG) {
      expect(e.shareType, e.name).not.toBe('not_shared');
      if (e.shareType === 'conditional') {
        expect(e.shareConditionScope?.trim(), e.name).toBeTruthy();
        expect(e.shareConditionUse?.trim(), e.name).toBeTruthy();
      }
      if (e.openType === 'authorized') expect(e.openCondition?.trim(), e.name).toBeTruthy();
      expect(e.classified ?? false, e.name).toBe(false);
    }
  });

  it('carries the matching fields of 004 §11 in every person-data entry', () => {
    const persons = DEMO_CATALOG.filter(isPersonEntry);
    expect(persons.length).toBeGreaterThanOrEqual(16);
    for (const e of persons) {
      const names = e.items.map((i) => i.name);
      expect(
        names.some((n) => n.endsWith('姓名')),
        `${e.name}: a name`,
      ).toBe(true);
      const ids = names.filter(isIdNumber);
      expect(ids.length, `${e.name}: an ID number`).toBeGreaterThan(0);
      // Outside 公安 (§11), the document type is given unless every ID is a 公民身份号码 (GB 11643).
      if (e.provider !== '市公安局' && !ids.every((n) => n.endsWith('公民身份号码'))) {
        expect(names, e.name).toContain('身份证件类型');
      }
      expect(e.shareType, e.name).toBe('conditional');
      expect(e.openType, e.name).toBe('not_open');
    }
  });

  it('protects identity numbers and names of natural persons', () => {
    for (const e of DEMO_CATALOG) {
      for (const i of e.items.filter((x) => isIdNumber(x.name))) {
        expect(i.sensitivity, `${e.name}/${i.name}`).toBe('sensitive');
        expect(i.masking, `${e.name}/${i.name}`).toBe('partial');
      }
    }
  });

  it('has 6+-digit class codes, unique, in the right category and basic library', () => {
    const codes = DEMO_CATALOG.map((e) => e.classCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of DEMO_CATALOG) {
      expect(e.classCode, e.name).toMatch(/^[123]\d{5,}$/);
      const category = e.classCode[0] as keyof typeof CATEGORIES;
      expect(e.className.startsWith(`${CATEGORIES[category]}/`), e.name).toBe(true);
      if (e.basicLibrary) expect(e.classCode.slice(0, 3), e.name).toBe(LIBRARY_CLASS[e.basicLibrary]);
    }
  });

  it('has exactly one 户籍 entry, from 市公安局, and no other entry named after 户籍', () => {
    const huji = DEMO_CATALOG.filter((e) => e.name === '户籍人口基本信息');
    expect(huji).toHaveLength(1);
    const [e] = huji;
    expect(e?.provider).toBe('市公安局');
    expect(e?.basicLibrary).toBe('population');
    expect(e?.classCode.startsWith('1')).toBe(true);
    expect(e?.demoStatus).toBe('published');
    expect(DEMO_CATALOG.filter((x) => x.name.includes('户籍'))).toHaveLength(1);
  });

  it('leaves most entries published and a few in each workflow state', () => {
    const count = (s: DemoEntry['demoStatus']): number =>
      DEMO_CATALOG.filter((e) => e.demoStatus === s).length;
    expect(count('draft')).toBe(2);
    expect(count('submitted')).toBe(1);
    expect(count('returned')).toBe(1);
    expect(count('published')).toBe(DEMO_CATALOG.length - 4);
  });

  it('represents every resource article of the seed (第十一条 is the matching rule, not a resource)', () => {
    const seen = new Set(DEMO_CATALOG.map((e) => e.seedArticle));
    expect([...seen].sort()).toEqual(ARTICLES.filter((a) => a !== '第十一条').sort());
  });
});
