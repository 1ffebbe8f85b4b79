/**
 * Shared look-ups every page may use, cached for the session by TanStack Query:
 * the catalog's value sets (labels of codes) and the organization directory (names by id).
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from './api';
import { type Lang, useI18n, VALUE_LABELS, type ValueSetName } from './i18n';
import type { Org, OrgPageT, ValueSets } from './types';

const HOUR = 60 * 60 * 1000;

export function useValueSets() {
  return useQuery({
    queryKey: ['catalog', 'value-sets'],
    queryFn: ({ signal }) => api.get<ValueSets>('/catalog/value-sets', undefined, signal),
    staleTime: HOUR,
  });
}

type ServerSet = Exclude<ValueSetName, 'appStatuses' | 'reminderKinds'>;

function serverSet(sets: ValueSets | undefined, name: ValueSetName): Record<string, string> | undefined {
  if (!sets || name === 'appStatuses' || name === 'reminderKinds') return undefined;
  return sets[name as ServerSet];
}

export function valueLabel(
  lang: Lang,
  sets: ValueSets | undefined,
  name: ValueSetName,
  code: string | null | undefined,
): string {
  if (code === null || code === undefined || code === '') return '—';
  if (lang === 'en') return VALUE_LABELS.en[name]?.[code] ?? serverSet(sets, name)?.[code] ?? code;
  return serverSet(sets, name)?.[code] ?? VALUE_LABELS['zh-CN'][name]?.[code] ?? code;
}

/** label('shareTypes', 'conditional') → 有条件共享 / Conditional. */
export function useValueLabel(): (name: ValueSetName, code: string | null | undefined) => string {
  const { lang } = useI18n();
  const { data } = useValueSets();
  return useCallback((name, code) => valueLabel(lang, data, name, code), [lang, data]);
}

/** Every organization (a few dozen per city), for names by id and English names. */
export function useOrgDirectory() {
  return useQuery({
    queryKey: ['orgs', 'directory'],
    queryFn: async ({ signal }) => {
      const all: Org[] = [];
      for (let page = 1; page <= 20; page++) {
        const p = await api.get<OrgPageT>('/orgs', { page, pageSize: 200 }, signal);
        all.push(...p.items);
        if (all.length >= p.total || p.items.length === 0) break;
      }
      return new Map(all.map((o) => [o.id, o]));
    },
    staleTime: HOUR,
  });
}

/** An organization's name in the console's language: short Chinese name, or the English name. */
export function orgName(org: Org | undefined, lang: Lang, fallback = '—'): string {
  if (!org) return fallback;
  return lang === 'en' ? (org.nameEn ?? org.shortName) : org.shortName;
}

export function useOrgName(): (id: string | null | undefined, fallback?: string) => string {
  const { lang } = useI18n();
  const { data } = useOrgDirectory();
  return useCallback(
    (id, fallback) => (id ? orgName(data?.get(id), lang, fallback ?? '—') : (fallback ?? '—')),
    [data, lang],
  );
}
