/**
 * Chinese-aware tokens for PostgreSQL full-text search with the built-in 'simple' configuration.
 *
 * PostgreSQL's default parser does not segment Chinese: a run of Chinese characters becomes one
 * lexeme. So the platform segments text itself and stores space-separated tokens:
 *
 *   to_tsvector('simple', searchTokens(text).join(' '))   -- the indexed document
 *   to_tsquery('simple', toTsQuery(query))                -- the query ('' → no query)
 *
 * Text is normalized first (NFKC, so full-width letters and digits become ASCII, then lower case).
 * Chinese (Han) text is indexed as its words (Intl.Segmenter), every single character and every
 * character bigram of each run of Han characters. A query uses only the bigrams of its Han runs
 * (the character itself for a one-character run): they do not depend on how the segmenter cut
 * the document, so any Han substring of a document finds it ('户籍' finds '常住人口户籍信息',
 * and so does '口户'). Other words are matched whole; all query tokens are ANDed.
 *
 * Every token consists of letters, marks and digits only, so the parser turns it into exactly one
 * lexeme and it can never carry tsquery syntax; toTsQuery still quotes and escapes every lexeme.
 */

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });

/** Longer tokens are dropped (PostgreSQL ignores lexemes over 2047 bytes; they are noise anyway). */
const MAX_TOKEN_LENGTH = 100;

/** Han letters and digits (not the CJK radicals and other Han-script symbols such as U+2E80). */
const HAN_RUN = /(?:(?=[\p{L}\p{N}])\p{Script=Han})+/gu;
const WORD_PIECE = /[\p{L}\p{M}\p{N}]+/gu;
const SCRIPT_PIECE = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const HAN = /\p{Script=Han}/u;

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Appends `token` to `out` unless it is already there (tracked by `seen`) or too long. */
function push(out: string[], seen: Set<string>, token: string): void {
  if (token.length === 0 || [...token].length > MAX_TOKEN_LENGTH || seen.has(token)) return;
  seen.add(token);
  out.push(token);
}

/** The word-like segments of `text` (NFKC-normalized, lower-cased), deduplicated, in order. */
export function words(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const seg of segmenter.segment(normalize(text))) {
    if (seg.isWordLike && !seen.has(seg.segment)) {
      seen.add(seg.segment);
      out.push(seg.segment);
    }
  }
  return out;
}

/**
 * The safe pieces of the word-like segments: runs of letters, marks and digits, split further
 * where Han and other scripts meet. Punctuation inside a segment ("it's", "abc_def") splits it.
 */
function wordPieces(normalized: string): { han: string[]; other: string[] } {
  const han: string[] = [];
  const other: string[] = [];
  for (const seg of segmenter.segment(normalized)) {
    if (!seg.isWordLike) continue;
    for (const piece of seg.segment.match(WORD_PIECE) ?? []) {
      for (const part of piece.match(SCRIPT_PIECE) ?? []) {
        (HAN.test(part) ? han : other).push(part);
      }
    }
  }
  return { han, other };
}

/** The maximal runs of Han characters of normalized text, each as an array of characters. */
function hanRuns(normalized: string): string[][] {
  return (normalized.match(HAN_RUN) ?? []).map((run) => [...run]);
}

/**
 * Index tokens of `text`, to be joined with spaces and passed to to_tsvector('simple', …): the
 * words (safe pieces), plus each Han character and each Han bigram. Deduplicated, in order.
 */
export function searchTokens(text: string): string[] {
  const normalized = normalize(text);
  const out: string[] = [];
  const seen = new Set<string>();
  const { han, other } = wordPieces(normalized);
  for (const w of [...other, ...han]) push(out, seen, w);
  for (const run of hanRuns(normalized)) {
    for (let i = 0; i < run.length; i++) {
      push(out, seen, run[i] ?? '');
      if (i + 1 < run.length) push(out, seen, `${run[i] ?? ''}${run[i + 1] ?? ''}`);
    }
  }
  return out;
}

/** The tokens a query is made of: its non-Han words, and the bigrams of its Han runs. */
function queryTokens(query: string): string[] {
  const normalized = normalize(query);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const w of wordPieces(normalized).other) push(out, seen, w);
  for (const run of hanRuns(normalized)) {
    if (run.length === 1) push(out, seen, run[0] ?? '');
    for (let i = 0; i + 1 < run.length; i++) push(out, seen, `${run[i] ?? ''}${run[i + 1] ?? ''}`);
  }
  return out;
}

/** A tsquery operand: the lexeme in single quotes, with quotes and backslashes escaped. */
function quoteLexeme(token: string): string {
  return `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * A to_tsquery('simple', …) string matching documents that contain every token of `query`:
 * quoted lexemes joined by ' & '. '' when the query has no tokens (callers then skip the search
 * condition). No input can inject tsquery operators.
 */
export function toTsQuery(query: string): string {
  return queryTokens(query).map(quoteLexeme).join(' & ');
}

/** Like toTsQuery, but matching documents that contain ANY token (for suggestions, ranked by ts_rank). */
export function toTsQueryAny(query: string): string {
  return queryTokens(query).map(quoteLexeme).join(' | ');
}
