import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { RunStep as WizardRunStep } from '../../components/wizard/RunPanel';
import { useRunJob } from '../../components/wizard/use-run-job';
import type { RestoreWizard } from '../../stores/restore';
import { RESTORE_JOB_PHASES } from '../../stores/restore-model';
import { restoreStore } from '../../stores';
import { ChecksTable } from './ChecksTable';
import { restorePhaseLabel } from './restore-labels';

/** Step 4: the restore job live — phases, progress, ETA, cancel — and what happened if it failed. */
export function RunStep({ server, wizard }: { server: Server; wizard: RestoreWizard }) {
  const t = useT();
  const job = useRunJob(wizard.run);
  return (
    <WizardRunStep
      run={wizard.run}
      job={job}
      expected={RESTORE_JOB_PHASES}
      phaseLabel={(id) => restorePhaseLabel(t, id)}
      testIdPrefix="restore"
      onCancel={() => restoreStore.getState().cancel(server.id)}
      onBack={() => restoreStore.getState().goTo(server.id, 'summary')}
      texts={{
        title: t('restore.run.title'),
        intro: t('restore.run.intro'),
        phases: t('restore.run.phases'),
        progress: t('restore.run.progress'),
        cancel: t('restore.run.cancel'),
        failedAt: (phase) => t('restore.run.failedAt', { phase }),
        cancelledAt: (phase) => t('restore.run.cancelledAt', { phase }),
        failedHelp: <p>{t('restore.run.productionUntouched')}</p>,
        cancelledHelp: <p>{t('restore.run.cleanedUp')}</p>,
        back: t('restore.run.backToSummary'),
      }}
    >
      {wizard.scratch ? <ChecksTable checks={wizard.scratch.checks} /> : null}
    </WizardRunStep>
  );
}
