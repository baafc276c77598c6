import type { ServerStatus } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { StatusBadge, type Tone } from '../../components/StatusBadge';

const TONES: Record<ServerStatus, Tone> = {
  new: 'neutral',
  connected: 'ok',
  unreachable: 'warn',
  'host-key-changed': 'danger',
  error: 'danger',
};

export function ServerStatusBadge({ status }: { status: ServerStatus }) {
  const t = useT();
  return <StatusBadge tone={TONES[status]}>{t(`status.${status}`)}</StatusBadge>;
}
