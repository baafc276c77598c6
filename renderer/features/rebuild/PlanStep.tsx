import { useEffect } from 'react';
import { useLang, useT } from '../../app/i18n';
import { wordWarnings } from '../../app/i18n/word-phrase';
import { Alert } from '../../components/Alert';
import { ConfirmCheck, useConfirmGate } from '../../components/wizard/ConfirmCheck';
import { PlanProgress } from '../../components/wizard/PlanProgress';
import { ReviewRows } from '../../components/wizard/ReviewRows';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';
import { WarningsAlert } from '../../components/WarningsAlert';
import { formatBytes, formatDuration } from '../../lib/format';
import { formatMoment } from '../../lib/zoned-time';
import type { RebuildWizard } from '../../stores/rebuild';
import { rebuildStore, useServers } from '../../stores';
import { ChecksTable } from '../restore-wizard/ChecksTable';
import { preflightCheckLabel } from './rebuild-labels';

/** Step 4: the pre-flight on the new host, what the rebuild does and how long, then start. */
export function PlanStep({ wizard, zone }: { wizard: RebuildWizard; zone: string }) {
  const t = useT();
  const lang = useLang();
  const gate = useConfirmGate();
  const store = rebuildStore.getState();
  const host = useServers((s) => s.servers.find((x) => x.id === wizard.hostId));
  const { plan } = wizard;

  useEffect(() => {
    if (plan.status === 'idle') void store.loadPlan();
  }, [plan.status, store]);

  const ready = plan.status === 'ready' ? plan.plan : null;
  const failed = plan.status === 'failed' || plan.status === 'refused' ? plan.error : null;
  return (
    <div className="wizard-step">
      <StepHeading>{t('rebuild.plan.title')}</StepHeading>
      <PlanProgress
        loading={plan.status === 'loading'}
        loadingText={t('rebuild.plan.loading')}
        error={failed}
        onRetry={() => void store.loadPlan()}
      />
      {ready ? (
        <>
          <ReviewRows
            testId="rebuild-plan"
            rows={[
              { key: 'source', label: t('rebuild.plan.source'), value: wizard.source?.name },
              {
                key: 'host',
                label: t('rebuild.plan.host'),
                value: host ? `${host.name} (${host.host})` : '',
              },
              {
                key: 'until',
                label: t('rebuild.plan.until'),
                value: ready.targetTime
                  ? formatMoment(ready.targetTime, lang, zone)
                  : t('rebuild.plan.untilLatest'),
              },
              {
                key: 'backup',
                label: t('rebuild.plan.backup'),
                value: `${ready.baseBackup.label}${ready.baseBackup.sizeBytes !== null ? ` · ${formatBytes(ready.baseBackup.sizeBytes, lang)}` : ''}`,
              },
              {
                key: 'cluster',
                label: t('rebuild.plan.cluster'),
                value: t('rebuild.plan.clusterValue', {
                  version: ready.pgMajor,
                  directory: ready.dataDirectory,
                  port: ready.port,
                }),
              },
              {
                key: 'estimate',
                label: t('rebuild.plan.estimate'),
                value: (
                  <span data-testid="rebuild-estimate">
                    {formatDuration(ready.estimatedSeconds, lang)}
                  </span>
                ),
              },
            ]}
          />
          <p className="muted">{t('rebuild.plan.what')}</p>
          <ChecksTable
            checks={ready.checks}
            label={(name) => preflightCheckLabel(t, name)}
            caption={t('rebuild.plan.checks')}
            testId="rebuild-preflight"
            rowTestId="preflight"
            detailLang="en"
          />
          <WarningsAlert
            title={t('rebuild.plan.warnings')}
            warnings={wordWarnings(t, lang, ready)}
          />
          {ready.ready ? (
            <ConfirmCheck
              gate={gate}
              checked={wizard.confirmed}
              label={t('rebuild.plan.confirm', { host: host?.name ?? '' })}
              missingText={t('rebuild.plan.confirmMissing')}
              onChange={(c) => store.setConfirmed(c)}
            />
          ) : (
            <Alert tone="danger" title={t('rebuild.plan.notReady')} data-testid="rebuild-not-ready">
              <p>{t('rebuild.plan.notReadyHelp')}</p>
            </Alert>
          )}
        </>
      ) : null}
      <WizardNav
        onBack={() => store.goTo('host')}
        onNext={() => {
          if (!ready) return;
          if (!ready.ready) {
            void store.loadPlan();
            return;
          }
          if (gate.passes(wizard.confirmed)) void store.start();
        }}
        nextLabel={ready && !ready.ready ? t('rebuild.plan.checkAgain') : t('rebuild.plan.start')}
        busyLabel={t('rebuild.plan.starting')}
        run={wizard.run}
        disabled={!ready}
        nextTestId="rebuild-start"
      />
    </div>
  );
}
