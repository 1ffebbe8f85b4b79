/** Small pieces the projects pages share: stage tags and word look-ups for the server's codes. */
import { Tag } from 'antd';
import { ApiError, type FieldProblem } from '../../api';
import { isMessageKey, type MessageKey, useI18n } from '../../i18n';
import type { Stage } from './types';

const STAGE_COLORS: Partial<Record<Stage, string>> = {
  needs: 'default',
  joint_review: 'processing',
  tech_review: 'processing',
  acceptance: 'processing',
  trial: 'cyan',
  completed: 'success',
};

export function StageTag({ stage }: { stage: Stage }) {
  const { t } = useI18n();
  return <Tag color={STAGE_COLORS[stage] ?? 'blue'}>{t(`projects.stage.${stage}`)}</Tag>;
}

/** A word for a code the server sends as a plain string (outcomes, entry statuses); the code itself otherwise. */
export function useCodeWord(): (prefix: string, code: string | null) => string {
  const { t } = useI18n();
  return (prefix, code) => {
    if (code === null) return '—';
    const key = `${prefix}.${code}`;
    return isMessageKey(key) ? t(key as MessageKey) : code;
  };
}

export function yuan(n: number | null | undefined, lang: string): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN');
}

/**
 * What a form shows above itself after a failed request: the field problems no control took, or the
 * message when the server named no field; nothing when every problem sits under its control.
 */
export function problemText(
  err: unknown,
  r: { message: string; unmatched: FieldProblem[] },
  lang: string,
): string | null {
  if (r.unmatched.length > 0) return r.unmatched.map((u) => (lang === 'en' ? u.en : u.zh)).join('；');
  if (err instanceof ApiError && err.problem.fields.length > 0) return null;
  return r.message;
}
