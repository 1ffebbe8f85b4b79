/** Status tags of the exchange pages, coloured and worded the same everywhere. */
import { Tag } from 'antd';
import { isMessageKey, useI18n } from '../../i18n';

const SOURCE: Record<string, string> = { up: 'success', down: 'error', unknown: 'default' };
const SYNC: Record<string, string> = {
  idle: 'default',
  queued: 'processing',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  interrupted: 'warning',
};
const DELIVERY: Record<string, string> = { pending: 'processing', delivered: 'success', dead: 'error' };

function StatusTag({
  prefix,
  status,
  colors,
}: {
  prefix: string;
  status: string;
  colors: Record<string, string>;
}) {
  const { t } = useI18n();
  const key = `${prefix}.${status}`;
  return (
    <Tag color={colors[status] ?? 'default'} data-testid={`${prefix.replace(/\./g, '-')}-tag`}>
      {isMessageKey(key) ? t(key) : status}
    </Tag>
  );
}

export function SourceStatusTag({ status }: { status: string }) {
  return <StatusTag prefix="exchange.status" status={status} colors={SOURCE} />;
}

export function SyncStatusTag({ status }: { status: string }) {
  return <StatusTag prefix="exchange.sync.status" status={status} colors={SYNC} />;
}

export function DeliveryStatusTag({ status }: { status: string }) {
  return <StatusTag prefix="exchange.delivery.status" status={status} colors={DELIVERY} />;
}

export function SubscriptionStatusTag({ status }: { status: string }) {
  return (
    <StatusTag
      prefix="exchange.sub.status"
      status={status}
      colors={{ active: 'success', paused: 'warning' }}
    />
  );
}
