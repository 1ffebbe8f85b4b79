/** Names of catalog entries by id ("101001/0001 户籍人口基本信息"), for grants and jobs that carry only the id. */
import { useQueries } from '@tanstack/react-query';
import { api } from '../../api';
import type { Entry } from '../../types';

export function useEntryLabels(
  ids: (string | null | undefined)[],
): (id: string | null | undefined) => string {
  const unique = [...new Set(ids.filter((x): x is string => Boolean(x)))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['catalog', 'entry', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<Entry>(`/catalog/entries/${id}`, undefined, signal),
      staleTime: 5 * 60_000,
    })),
  });
  const byId = new Map<string, string>();
  unique.forEach((id, i) => {
    const e = results[i]?.data;
    if (e) byId.set(id, `${e.code ?? ''} ${e.name}`.trim());
  });
  return (id) => (id ? (byId.get(id) ?? '…') : '—');
}
