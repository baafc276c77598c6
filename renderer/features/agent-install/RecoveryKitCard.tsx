import { useEffect, useState } from 'react';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CheckboxField } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { recoveryKitStore, useRecoveryKit } from '../../stores';

/**
 * The printable recovery kit: export it (main writes the PDF), then confirm it is printed or
 * stored offline. Without it a lost laptop would mean lost backups.
 */
export function RecoveryKitCard({ serverId }: { serverId: string }) {
  const t = useT();
  const lang = useLang();
  const kit = useRecoveryKit((s) => s.kits[serverId]);
  const [stored, setStored] = useState(false);
  const store = recoveryKitStore.getState();

  useEffect(() => {
    void recoveryKitStore.getState().load(serverId);
  }, [serverId]);

  const acknowledged = kit?.acknowledgedAt ?? null;
  return (
    <div className="card" data-testid="recovery-kit">
      <h3>{t('kit.title')}</h3>
      <p>{t('kit.why')}</p>
      {acknowledged ? (
        <Alert tone="success" data-testid="kit-acknowledged">
          {kit?.acknowledgedBy
            ? t('kit.acknowledgedBy', {
                date: formatDateTime(acknowledged, lang),
                user: kit.acknowledgedBy,
              })
            : t('kit.acknowledgedAt', { date: formatDateTime(acknowledged, lang) })}
        </Alert>
      ) : (
        <Alert tone="warning">{t('kit.pending')}</Alert>
      )}
      {kit?.file ? (
        <dl className="facts">
          <dt>{t('kit.file')}</dt>
          <dd className="mono" data-testid="kit-path">
            {kit.file.path}
          </dd>
          <dt>{t('kit.textFile')}</dt>
          <dd className="mono" data-testid="kit-text-path">
            {kit.file.textPath}
          </dd>
          <dt>SHA-256</dt>
          <dd className="mono">{kit.file.sha256}</dd>
        </dl>
      ) : null}
      {kit?.file ? <p>{t('kit.textWhy')}</p> : null}
      {kit?.error ? <ErrorAlert error={kit.error} data-testid="kit-error" /> : null}
      <div className="actions">
        <Button
          variant={kit?.file ? 'secondary' : 'primary'}
          busy={kit?.busy === 'exporting'}
          onClick={() => {
            setStored(false);
            void store.exportKit(serverId);
          }}
        >
          {kit?.file || kit?.exportedAt ? t('kit.exportAgain') : t('kit.export')}
        </Button>
      </div>
      {kit?.file && !acknowledged ? (
        <div className="kit-confirm">
          <CheckboxField
            label={t('kit.stored')}
            checked={stored}
            onChange={(e) => setStored(e.target.checked)}
          />
          <Button
            variant="primary"
            disabled={!stored}
            busy={kit.busy === 'acknowledging'}
            onClick={() => void store.acknowledge(serverId)}
          >
            {t('kit.acknowledge')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
