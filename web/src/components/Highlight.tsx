/**
 * Marks the words of a search query in a text. The server matches Chinese by character bigrams, so a
 * term not found whole is marked by its two-character pieces instead (户籍人口 also marks 户籍 in 户籍登记).
 */
import { Fragment } from 'react';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function highlightTerms(text: string, query: string): string[] {
  const terms = new Set<string>();
  for (const word of query.trim().split(/\s+/)) {
    if (!word) continue;
    if (text.toLowerCase().includes(word.toLowerCase()) || word.length < 2) {
      terms.add(word);
      continue;
    }
    const chars = [...word];
    for (let i = 0; i + 1 < chars.length; i++) terms.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...terms].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
}

export function Highlight({ text, query }: { text: string; query: string }) {
  const terms = highlightTerms(text, query);
  if (terms.length === 0) return <>{text}</>;
  const re = new RegExp(`(${terms.map(escapeRegExp).join('|')})`, 'gi');
  const parts = text.split(re);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
          <mark key={i} className="gs-hit">
            {part}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
