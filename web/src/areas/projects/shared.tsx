/** Small pieces the projects pages share: stage tags and word look-ups for the server's codes. */
import { Tag } from 'antd';
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
