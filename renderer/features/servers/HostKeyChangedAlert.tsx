import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';

/**
 * The hard stop for a changed host key. Deliberately without any "accept" button: resolving
 * it means finding out why, then removing and re-adding the server.
 */
export function HostKeyChangedAlert({
  pinned,
  presented,
}: {
  pinned: string | null;
  presented: string | null;
}) {
  const t = useT();
  return (
    <Alert
      tone="danger"
      className="alert--loud"
      title={t('hostKey.changedTitle')}
      data-testid="host-key-changed"
    >
      <p className="alert__lead">{t('hostKey.changed')}</p>
      <dl className="fingerprints">
        <dt>{t('hostKey.changedOld')}</dt>
        <dd className="mono" data-testid="host-key-old">
          {pinned ?? t('common.unknown')}
        </dd>
        <dt>{t('hostKey.changedNew')}</dt>
        <dd className="mono" data-testid="host-key-new">
          {presented ?? t('common.unknown')}
        </dd>
      </dl>
      <p>{t('hostKey.changedAdvice')}</p>
    </Alert>
  );
}
