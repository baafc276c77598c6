import { useEffect, useMemo } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { useRunningJobId, useWizardServer } from '../../components/wizard/use-run-job';
import { WizardPage } from '../../components/wizard/WizardPage';
import { WizardSteps } from '../../components/wizard/WizardSteps';
import { adminTimeZone } from '../../lib/zoned-time';
import { runBusy } from '../../stores/job-run';
import { isRestoreJobOf, RESTORE_STEPS, restoreStepIndex } from '../../stores/restore-model';
import { catalogStore, restoreStore, useCatalog, useRestore } from '../../stores';
import { DestinationStep } from './DestinationStep';
import { ProductionZone } from './ProductionZone';
import { ResultStep } from './ResultStep';
import { RunStep } from './RunStep';
import { SummaryStep } from './SummaryStep';
import { TargetStep } from './TargetStep';

/**
 * Point-in-time restore of one server as five steps: what (a moment, a recovery point or the
 * latest), where (scratch on the same server or another server), summary and confirm, the
 * restore job, and the verified result. Restoring over production is a separate danger path
 * below the destination step (ProductionZone). State lives in the restore store, so leaving
 * the page keeps the wizard and a running restore.
 */
export function RestoreWizard({ id }: { id: string }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const { server, notFound } = useWizardServer(id);
  const wizard = useRestore((s) => s.wizards[id]);
  const catalog = useCatalog((s) => s.catalogs[id]?.catalog ?? null);
  const zone = useMemo(() => adminTimeZone(), []);
  // After a reload the running restore job arrives with the jobs list: pick it up then.
  const runningJob = useRunningJobId((j) => isRestoreJobOf(j, id));

  useEffect(() => {
    restoreStore.getState().open(id);
  }, [id, runningJob]);

  useEffect(() => {
    if (!catalogStore.getState().catalogs[id]?.catalog) void catalogStore.getState().load(id);
  }, [id]);

  // Steps before the run can be gone back to while nothing runs.
  const canGoBack = wizard ? !runBusy(wizard.run) : false;
  return (
    <WizardPage
      ready={server !== undefined && wizard !== undefined}
      notFound={notFound}
      title={t('restore.title', { name: server?.name ?? '' })}
      step={wizard?.step}
      className="wizard restore-wizard"
      exit={
        <Button onClick={() => navigate({ name: 'timeline', id })}>
          {t('restore.toTimeline')}
        </Button>
      }
      steps={
        wizard ? (
          <WizardSteps
            steps={RESTORE_STEPS}
            step={wizard.step}
            label={(s) => t(`restore.step.${s}`)}
            ariaLabel={t('restore.progress')}
            testIdPrefix="restore-step"
            canGoTo={(_s, i) => canGoBack && i < restoreStepIndex('run')}
            onGoTo={(s) => restoreStore.getState().goTo(id, s)}
          />
        ) : null
      }
    >
      {server && wizard ? (
        <>
          {wizard.step === 'target' ? (
            <TargetStep serverId={id} wizard={wizard} catalog={catalog} zone={zone} />
          ) : null}
          {wizard.step === 'destination' ? (
            <DestinationStep server={server} wizard={wizard} />
          ) : null}
          {wizard.step === 'summary' ? (
            <SummaryStep server={server} wizard={wizard} zone={zone} />
          ) : null}
          {wizard.step === 'run' ? <RunStep server={server} wizard={wizard} /> : null}
          {wizard.step === 'result' ? (
            <ResultStep server={server} wizard={wizard} zone={zone} />
          ) : null}
          <ProductionZone server={server} wizard={wizard} zone={zone} />
        </>
      ) : null}
    </WizardPage>
  );
}
