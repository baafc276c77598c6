import { useEffect, useRef } from 'react';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { useRecoveryKit } from '../../stores';
import { RecoveryKitCard } from '../agent-install/RecoveryKitCard';

/**
 * "Not protected yet": the server's recovery kit is not confirmed (issue 15 §3). Says what to
 * do and offers the export and the confirmation right here; calls `onConfirmed` once the admin
 * confirmed, so the page re-reads the status.
 */
export function KitGate({ serverId, onConfirmed }: { serverId: string; onConfirmed?(): void }) {
  const t = useT();
  const acknowledgedAt = useRecoveryKit((s) => s.kits[serverId]?.acknowledgedAt ?? null);
  const seen = useRef(acknowledgedAt);
  const confirmed = useRef(onConfirmed);
  confirmed.current = onConfirmed;
  useEffect(() => {
    if (acknowledgedAt && acknowledgedAt !== seen.current) confirmed.current?.();
    seen.current = acknowledgedAt;
  }, [acknowledgedAt]);
  return (
    <div className="kit-gate" data-testid="kit-gate">
      <Alert tone="warning" title={t('kit.gate.title')}>
        <p>{t('kit.gate.next')}</p>
      </Alert>
      <RecoveryKitCard serverId={serverId} />
    </div>
  );
}
