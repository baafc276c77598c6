import { useState } from 'react';
import type { ScratchEnvironment } from '../../../shared/contract/recovery';
import { useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { allChecksPassed } from '../../stores/restore-model';
import { restoreStore, useScratch } from '../../stores';
import { StepHeading } from '../../components/wizard/StepHeading';
import type { RestoreStepProps } from './step-props';
import { momentWithUtc } from '../timeline/moment-text';
import { ChecksTable } from './ChecksTable';
import { DropScratchDialog } from './DropScratchDialog';

/** How to reach a scratch cluster: host, port, directories and the psql command. */
export function ConnectionDetails({
  scratch,
  zone,
}: {
  scratch: ScratchEnvironment;
  zone: string;
}) {
  const t = useT();
  const lang = useLang();
  const psql = `psql -h ${scratch.host} -p ${scratch.port} -U postgres`;
  return (
    <div className="card scratch-connection" data-testid="scratch-connection">
      <h3>{t('result.connection')}</h3>
      <dl className="facts">
        <dt>{t('result.host')}</dt>
        <dd className="mono" data-testid="scratch-host">
          {scratch.host}
        </dd>
        <dt>{t('result.port')}</dt>
        <dd className="mono" data-testid="scratch-port">
          {scratch.port}
        </dd>
        <dt>{t('result.dataDirectory')}</dt>
        <dd className="mono" data-testid="scratch-data-dir">
          {scratch.dataDirectory}
        </dd>
        <dt>{t('result.filesDirectory')}</dt>
        <dd className="mono">{scratch.filesDirectory ?? t('common.none')}</dd>
        <dt>{t('result.restoredTo')}</dt>
        <dd>
          {scratch.targetTime ? momentWithUtc(scratch.targetTime, lang, zone) : t('common.unknown')}
          <span className="muted"> · {t('result.fromBackup', { label: scratch.baseBackup })}</span>
        </dd>
        <dt>{t('result.expires')}</dt>
        <dd>
          {scratch.expiresAt
            ? momentWithUtc(scratch.expiresAt, lang, zone)
            : t('scratch.keptUntilDropped')}
        </dd>
      </dl>
      <p className="muted">{t('result.psqlHint')}</p>
      <pre className="code-box mono">{psql}</pre>
      <CopyButton text={psql} label={t('result.copyPsql')} />
    </div>
  );
}

/** Step 5: the checks, the connection details, and dropping the scratch environment. */
export function ResultStep({ server, wizard, zone }: RestoreStepProps) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const [confirmDrop, setConfirmDrop] = useState(false);
  // Dropped from the list meanwhile? The list has the newer state.
  const listed = useScratch((s) => s.list.find((x) => x.id === wizard.scratch?.id));
  const scratch = listed ?? wizard.scratch;
  const passed = scratch ? allChecksPassed(scratch) : false;
  const removed = scratch?.state === 'removed';

  return (
    <div className="wizard-step">
      <StepHeading>{t('result.title')}</StepHeading>
      {!scratch ? (
        <Alert tone="warning" data-testid="result-missing">
          <p>{t('result.missing')}</p>
          <Button onClick={() => navigate({ name: 'scratch' })}>{t('scratch.title')}</Button>
        </Alert>
      ) : (
        <>
          <div data-testid="restore-result" data-passed={String(passed)} data-state={scratch.state}>
            <Alert
              tone={removed ? 'info' : passed ? 'success' : 'warning'}
              title={
                removed ? t('result.dropped') : passed ? t('result.passed') : t('result.someFailed')
              }
            />
          </div>
          <h3>{t('result.checks')}</h3>
          <ChecksTable checks={scratch.checks} />
          {!removed ? <ConnectionDetails scratch={scratch} zone={zone} /> : null}
        </>
      )}
      <div className="actions wizard-nav">
        {scratch && !removed ? (
          <Button variant="danger" onClick={() => setConfirmDrop(true)} data-testid="drop-scratch">
            {t('scratch.drop')}
          </Button>
        ) : null}
        <Button onClick={() => restoreStore.getState().reset(server.id)}>
          {t('result.another')}
        </Button>
        <Button onClick={() => navigate({ name: 'timeline', id: server.id })}>
          {t('result.toTimeline')}
        </Button>
      </div>
      {confirmDrop && scratch ? (
        <DropScratchDialog
          scratch={scratch}
          drop={() => restoreStore.getState().dropScratch(server.id)}
          onCancel={() => setConfirmDrop(false)}
          onDone={() => setConfirmDrop(false)}
        />
      ) : null}
    </div>
  );
}
