import { useEffect, useMemo } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { WizardPage } from '../../components/wizard/WizardPage';
import { WizardSteps } from '../../components/wizard/WizardSteps';
import { adminTimeZone } from '../../lib/zoned-time';
import { runBusy } from '../../stores/job-run';
import { REBUILD_STEPS, unfinishedRebuild } from '../../stores/rebuild-model';
import { rebuildStore, useJobs, useRebuild } from '../../stores';
import { HandoverStep } from './HandoverStep';
import { HostStep } from './HostStep';
import { KitStep } from './KitStep';
import { PlanStep } from './PlanStep';
import { RebuildRunStep } from './RebuildRunStep';
import { RebuildTargetStep } from './RebuildTargetStep';
import { UnfinishedRebuild } from './UnfinishedRebuild';

/**
 * Disaster recovery from the recovery kit (issue 19): import the kit, choose what to restore
 * and the new host, read the pre-flight and plan, run the rebuild (phases, ETA, cancel after a
 * confirmation), and the signed hand-over. State lives in the rebuild store, so leaving the
 * page keeps the wizard and the job; a rebuild that runs or stopped unfinished is offered on
 * opening.
 */
export function RebuildWizard() {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const wizard = useRebuild((s) => s.wizard);
  const zone = useMemo(() => adminTimeZone(), []);
  // After a reload the rebuild job arrives with the jobs list: pick it up then.
  const unfinished = useJobs((s) => unfinishedRebuild(Object.values(s.jobs)));
  const unfinishedKey = unfinished ? `${unfinished.id}:${unfinished.state}` : '';
  useEffect(() => {
    rebuildStore.getState().open();
  }, [unfinishedKey]);

  const canGoBack = !runBusy(wizard.run) && wizard.step !== 'handover';
  const stepIndex = REBUILD_STEPS.indexOf(wizard.step);
  return (
    <WizardPage
      ready
      notFound={false}
      title={t('rebuild.title')}
      step={wizard.step}
      className="wizard rebuild-wizard"
      exit={<Button onClick={() => navigate({ name: 'start' })}>{t('rebuild.exit')}</Button>}
      steps={
        <WizardSteps
          steps={REBUILD_STEPS}
          step={wizard.step}
          label={(s) => t(`rebuild.step.${s}`)}
          ariaLabel={t('rebuild.progress')}
          testIdPrefix="rebuild-step"
          canGoTo={(s, i) =>
            canGoBack && i < REBUILD_STEPS.indexOf('run') && (s !== 'kit' || stepIndex > 0)
          }
          onGoTo={(s) => rebuildStore.getState().goTo(s)}
        />
      }
    >
      {wizard.unfinished ? <UnfinishedRebuild job={wizard.unfinished} /> : null}
      {wizard.step === 'kit' ? <KitStep wizard={wizard} /> : null}
      {wizard.step === 'target' ? <RebuildTargetStep wizard={wizard} zone={zone} /> : null}
      {wizard.step === 'host' ? <HostStep wizard={wizard} /> : null}
      {wizard.step === 'plan' ? <PlanStep wizard={wizard} zone={zone} /> : null}
      {wizard.step === 'run' ? <RebuildRunStep wizard={wizard} /> : null}
      {wizard.step === 'handover' ? <HandoverStep wizard={wizard} zone={zone} /> : null}
    </WizardPage>
  );
}
