import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTokens, toTsQuery, words } from './segmenter.js';

const SAFE_TOKEN = /^[\p{L}\p{M}\p{N}]+$/u;
const SAFE_QUERY = /^'[\p{L}\p{M}\p{N}]+'( & '[\p{L}\p{M}\p{N}]+')*$/u;
const HOSTILE = "&|!():*'\\<->'' & ) ( !! :* :A ''' \\' <2> \0 ; -- /* */";

const commonUnits = [
  fc.constantFrom(...'常住人口户籍信息数据共享交换平台税务局省市县'),
  fc.constantFrom(...'abcXYZ019_-.@éß'),
  fc.constantFrom(...`&|!():*'\\<> \t\n,，。、；“”`),
  fc.constantFrom(...'ＡＢＣ１２３　！①'),
];
/** Han characters, ASCII, tsquery operators, punctuation and full-width forms, mixed. */
const commonText = fc.string({ unit: fc.oneof(...commonUnits), maxLength: 40 });
/** The same plus any Unicode grapheme. */
const mixedText = fc.string({
  unit: fc.oneof(...commonUnits, fc.string({ unit: 'grapheme', maxLength: 1 })),
  maxLength: 40,
});

describe('words', () => {
  it('segments Chinese text into words', () => {
    const w = words('常住人口户籍信息');
    expect(w).toContain('户籍');
    expect(w).toContain('信息');
    expect(w.join('')).toBe('常住人口户籍信息');
  });

  it('lower-cases, deduplicates in order and drops punctuation and spaces', () => {
    expect(words('Hello, WORLD! hello world。数据 数据')).toEqual(['hello', 'world', '数据']);
  });

  it('normalizes full-width letters and digits', () => {
    expect(words('ＧＤＰ２０２３')).toEqual(['gdp2023']);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(words('')).toEqual([]);
    expect(words(' ，。！& | ')).toEqual([]);
  });
});

describe('searchTokens', () => {
  it('indexes words, characters and every bigram of a Han run', () => {
    const t = searchTokens('常住人口户籍信息');
    for (const token of ['户籍', '信息', '常住', '人口', '口户', '籍信', '户', '籍']) {
      expect(t).toContain(token);
    }
  });

  it('keeps bigrams inside runs: punctuation breaks a run', () => {
    const t = searchTokens('户籍，信息');
    expect(t).toContain('户籍');
    expect(t).toContain('信息');
    expect(t).not.toContain('籍信');
  });

  it('lower-cases ASCII words and splits them at punctuation', () => {
    expect(searchTokens("GDP it's abc_def e-mail 3.14")).toEqual([
      'gdp',
      'it',
      's',
      'abc',
      'def',
      'e',
      'mail',
      '3',
      '14',
    ]);
  });

  it('splits mixed-script segments and deduplicates', () => {
    const t = searchTokens('API接口 api 接口');
    expect(t.filter((x) => x === 'api')).toHaveLength(1);
    expect(t).toContain('接口');
  });

  it('drops overlong tokens', () => {
    expect(searchTokens(`${'a'.repeat(101)} ok`)).toEqual(['ok']);
  });

  it('yields only unique tokens of letters, marks and digits, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        const t = searchTokens(text);
        expect(new Set(t).size).toBe(t.length);
        for (const token of t) expect(token).toMatch(SAFE_TOKEN);
      }),
    );
  });

  it('finds every Han substring of a document', () => {
    const han = fc.string({
      unit: fc.constantFrom(...'常住人口户籍信息数据共享'),
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(han, fc.nat(), fc.nat(), (doc, a, b) => {
        const start = a % doc.length;
        const end = start + 1 + (b % (doc.length - start));
        const indexed = new Set(searchTokens(doc));
        const query = toTsQuery(doc.slice(start, end));
        for (const lexeme of query.split(' & ')) expect(indexed.has(lexeme.slice(1, -1))).toBe(true);
      }),
    );
  });
});

describe('toTsQuery', () => {
  it('is empty for an empty or token-free query', () => {
    expect(toTsQuery('')).toBe('');
    expect(toTsQuery('   ')).toBe('');
    expect(toTsQuery('&|!():*')).toBe('');
  });

  it('ANDs quoted lexemes, Han text as bigrams', () => {
    expect(toTsQuery('户籍')).toBe("'户籍'");
    expect(toTsQuery('户籍信息')).toBe("'户籍' & '籍信' & '信息'");
    expect(toTsQuery('税')).toBe("'税'");
    expect(toTsQuery('GDP 数据')).toBe("'gdp' & '数据'");
  });

  it('neutralizes tsquery syntax', () => {
    expect(toTsQuery(HOSTILE)).toBe("'a' & '2'");
    expect(toTsQuery("户籍' | '信息")).toBe("'户籍' & '信息'");
    expect(toTsQuery('x:* & !y | (z <-> w)')).toBe("'x' & 'y' & 'z' & 'w'");
  });

  it('yields only quoted lexemes joined by &, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        const q = toTsQuery(text);
        if (q !== '') expect(q).toMatch(SAFE_QUERY);
      }),
    );
  });
});

describe('with PostgreSQL (PGlite)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  async function matches(doc: string, query: string): Promise<boolean> {
    const r = await db.query<{ m: boolean }>(
      "select to_tsvector('simple', $1) @@ to_tsquery('simple', $2) as m",
      [searchTokens(doc).join(' '), toTsQuery(query)],
    );
    return r.rows[0]?.m === true;
  }

  it('matches Chinese and ASCII queries', async () => {
    const doc = '常住人口户籍信息（公安厅）GDP统计数据 API接口';
    expect(await matches(doc, '户籍')).toBe(true);
    expect(await matches(doc, '户籍信息')).toBe(true);
    expect(await matches(doc, '人口户籍')).toBe(true);
    expect(await matches(doc, '公安')).toBe(true);
    expect(await matches(doc, 'gdp')).toBe(true);
    expect(await matches(doc, 'ＧＤＰ 统计')).toBe(true);
    expect(await matches(doc, '户籍 税务')).toBe(false);
    expect(await matches(doc, '信息户籍')).toBe(false);
  });

  it('runs hostile queries without error', async () => {
    for (const q of [HOSTILE, "'", "''", '\\', ':*', '!', '(', '户籍 & | !', 'a:*b']) {
      await expect(db.query("select to_tsquery('simple', $1)", [toTsQuery(q)])).resolves.toBeDefined();
    }
  });

  it('turns every token of common text into exactly one lexeme', async () => {
    await fc.assert(
      fc.asyncProperty(commonText, async (text) => {
        const tokens = searchTokens(text);
        const r = await db.query<{ lexemes: string[] }>(
          "select tsvector_to_array(to_tsvector('simple', $1)) as lexemes",
          [tokens.join(' ')],
        );
        expect([...(r.rows[0]?.lexemes ?? [])].sort()).toEqual([...tokens].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('accepts the query and the document built from any text', async () => {
    // Letters PostgreSQL's Unicode tables do not know yet (e.g. U+16A70, Unicode 14) may be
    // dropped from the tsvector: that costs recall, never safety.
    await fc.assert(
      fc.asyncProperty(mixedText, async (text) => {
        await db.query("select to_tsvector('simple', $1) @@ to_tsquery('simple', $2)", [
          searchTokens(text).join(' '),
          toTsQuery(text),
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
