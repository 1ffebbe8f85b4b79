import { describe, expect, it } from 'vitest';
import { DEMO_INVENTORY, demoSystemId } from './inventory.demo.js';
import { DEFAULT_THRESHOLDS, type DetectInput, detectFlags, flagId } from './inventory.model.js';

const TODAY = '2026-11-25';

function system(over: Partial<DetectInput> = {}): DetectInput {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: '婚姻登记信息系统',
    orgName: '咸宁市民政局',
    internalUnit: null,
    functionDescription: '结婚登记、离婚登记、补领婚姻登记证的受理审查与婚姻档案电子化',
    dataResources: '婚姻登记信息',
    catalogEntryIds: [],
    monthlyActiveUsers: 90,
    monthlyTransactions: 2100,
    lastMaintenanceOn: '2026-09-15',
    utilizationPct: 40,
    businessLink: true,
    replacedById: null,
    ...over,
  };
}

const rulesOf = (systems: DetectInput[], thresholds = DEFAULT_THRESHOLDS) =>
  detectFlags(systems, TODAY, thresholds).map((f) => f.rule);

describe('zombie rules (R2.3)', () => {
  it('leaves a healthy system unflagged', () => {
    expect(detectFlags([system()], TODAY)).toEqual([]);
  });

  it('detached from business: business link false, explained', () => {
    const [f] = detectFlags([system({ businessLink: false })], TODAY);
    expect(f?.rule).toBe('zombie.detached');
    expect(f?.kind).toBe('zombie');
    expect(f?.zh).toContain('已脱离业务');
    expect(f?.en).toContain('business link = no');
    expect(rulesOf([system({ businessLink: true })])).not.toContain('zombie.detached');
  });

  it('replaceable: replaced-by set, naming the replacing system', () => {
    const by = system({
      id: '00000000-0000-4000-8000-000000000002',
      name: '新婚姻登记平台',
      functionDescription: '完全不同的功能：档案数字化扫描',
      dataResources: '档案扫描件',
    });
    const flags = detectFlags([system({ replacedById: by.id }), by], TODAY);
    const f = flags.find((x) => x.rule === 'zombie.replaceable');
    expect(f?.systemId).toBe('00000000-0000-4000-8000-000000000001');
    expect(f?.zh).toContain('“新婚姻登记平台”');
    expect(f?.facts.replacedByName).toBe('新婚姻登记平台');
    expect(flags.filter((x) => x.rule === 'zombie.replaceable')).toHaveLength(1);
  });

  it('idle resources: utilization below the threshold (configurable)', () => {
    const f = detectFlags([system({ utilizationPct: 4 })], TODAY).find((x) => x.rule === 'zombie.idle');
    expect(f?.zh).toContain('资源利用率 4%，低于 10%');
    expect(f?.facts).toMatchObject({ utilizationPct: 4, threshold: 10 });
    expect(rulesOf([system({ utilizationPct: 10 })])).not.toContain('zombie.idle');
    expect(
      rulesOf([system({ utilizationPct: 25 })], { ...DEFAULT_THRESHOLDS, idleUtilizationPct: 30 }),
    ).toContain('zombie.idle');
  });

  it('maintenance stopped: no maintenance for more than 12 months, or none recorded', () => {
    const f = detectFlags([system({ lastMaintenanceOn: '2025-10-01' })], TODAY).find(
      (x) => x.rule === 'zombie.unmaintained',
    );
    expect(f?.zh).toContain('最近一次运维在 2025-10-01，已 13 个月无运维');
    expect(f?.facts.monthsSince).toBe(13);
    expect(rulesOf([system({ lastMaintenanceOn: null })])).toContain('zombie.unmaintained');
    // Exactly 12 months is not more than 12.
    expect(rulesOf([system({ lastMaintenanceOn: '2025-11-25' })])).not.toContain('zombie.unmaintained');
    expect(rulesOf([system({ lastMaintenanceOn: '2025-11-26' })])).not.toContain('zombie.unmaintained');
  });

  it('small scope and low frequency: few users AND few transactions', () => {
    const f = detectFlags([system({ monthlyActiveUsers: 3, monthlyTransactions: 20 })], TODAY).find(
      (x) => x.rule === 'zombie.low_use',
    );
    expect(f?.zh).toContain('月活跃用户 3（少于 10），月业务量 20（少于 100）');
    expect(rulesOf([system({ monthlyActiveUsers: 3, monthlyTransactions: 500 })])).not.toContain(
      'zombie.low_use',
    );
    expect(rulesOf([system({ monthlyActiveUsers: 300, monthlyTransactions: 5 })])).not.toContain(
      'zombie.low_use',
    );
  });
});

describe('single-unit systems (R2.4)', () => {
  it('flags a system that exists in the name of one internal unit', () => {
    const [f] = detectFlags([system({ internalUnit: '婚姻登记处' })], TODAY);
    expect(f?.rule).toBe('single_unit');
    expect(f?.zh).toContain('以单个科室“婚姻登记处”名义独立存在');
  });
});

describe('shadow detection', () => {
  it('pairs near-identical functions with the similarity and shared terms; threshold configurable', () => {
    const a = system();
    const b = system({
      id: '00000000-0000-4000-8000-000000000003',
      name: '婚姻登记管理系统（县级）',
      orgName: '咸安区政府',
      functionDescription: '结婚登记、离婚登记和补领婚姻登记证受理审查，婚姻档案电子化',
      dataResources: '咸安婚姻档案',
    });
    const [f] = detectFlags([a, b], TODAY);
    expect(f?.rule).toBe('shadow.function');
    expect(f?.id).toBe(flagId('shadow.function', [b.id, a.id]));
    expect(f?.score).toBeGreaterThan(0.45);
    expect(f?.zh).toContain('跨部门');
    expect(f?.zh).toContain('结婚');
    expect(f?.facts.sharedTerms).toEqual(expect.arrayContaining(['结婚', '离婚']));
    expect(detectFlags([a, b], TODAY, { ...DEFAULT_THRESHOLDS, shadowSimilarity: 0.99 })).toEqual([]);
  });

  it('pairs systems that keep the same data resources or catalog entries', () => {
    const entry = '11111111-1111-4111-8111-111111111111';
    const a = system({ dataResources: '婚姻登记信息、婚姻档案', catalogEntryIds: [entry] });
    const b = system({
      id: '00000000-0000-4000-8000-000000000004',
      name: '户政业务系统',
      functionDescription: '户口迁移审批与户籍证明开具',
      dataResources: '户籍信息，婚姻登记信息',
      catalogEntryIds: [entry],
    });
    const [f] = detectFlags([a, b], TODAY);
    expect(f?.rule).toBe('shadow.data');
    expect(f?.facts).toEqual({ sharedResources: ['婚姻登记信息'], sharedCatalogEntries: [entry] });
    expect(f?.zh).toContain('同一部门内');
  });

  it('finds the planted pairs of the demo inventory and no others', () => {
    expect(DEMO_INVENTORY.length).toBeGreaterThanOrEqual(50);
    expect(new Set(DEMO_INVENTORY.map((d) => d.org)).size).toBeGreaterThanOrEqual(15);
    const byCode = new Map(DEMO_INVENTORY.map((d) => [demoSystemId(d.code), d.code]));
    const systems: DetectInput[] = DEMO_INVENTORY.map((d) => ({
      ...d,
      id: demoSystemId(d.code),
      orgName: d.org,
      replacedById: d.replacedBy ? demoSystemId(d.replacedBy) : null,
    }));
    const flags = detectFlags(systems, TODAY);
    const pairs = (rule: string) =>
      flags
        .filter((f) => f.rule === rule)
        .map((f) => [byCode.get(f.systemId), byCode.get(f.otherSystemId ?? '')].sort().join('+'))
        .sort();
    expect(pairs('shadow.function')).toEqual(['GX-01+SJ-01', 'MZ-02+XA-01', 'WJ-01+WJ-02']);
    expect(pairs('shadow.data')).toEqual(['RS-01+SW-01']);
    const codes = (rule: string) =>
      flags
        .filter((f) => f.rule === rule)
        .map((f) => byCode.get(f.systemId))
        .sort();
    expect(codes('zombie.detached')).toEqual(['GA-06', 'MZ-03']);
    expect(codes('zombie.replaceable')).toEqual(['RS-03']);
    expect(codes('zombie.idle')).toEqual(['GA-06', 'JY-03', 'WJ-06']);
    expect(codes('zombie.unmaintained')).toEqual(['CL-03', 'GA-06', 'WJ-06']);
    expect(codes('zombie.low_use')).toEqual(['GA-06', 'GJJ-02', 'WJ-06']);
    expect(codes('single_unit')).toEqual(['FG-03', 'GA-04', 'MZ-03', 'WJ-02']);
    for (const f of flags) {
      expect(f.zh.length).toBeGreaterThan(10);
      expect(f.en.length).toBeGreaterThan(10);
    }
  });
});
