import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { RunStep } from '../../components/wizard/RunPanel';
import { useRunJob } from '../../components/wizard/use-run-job';
import { expectedInstallPhases } from '../../stores/agent-install-model';
import type { InstallWizard } from '../../stores/agent-install';
import { agentInstallStore, jobsStore } from '../../stores';
import { phaseLabel } from './phase-label';

/** Step 4: the install job live — phases, progress, ETA, cancel — and what happened if it failed. */
export function InstallStep({ server, wizard }: { server: Server; wizard: InstallWizard }) {
  const t = useT();
  const install = wizard.install;
  const job = useRunJob(install);
  return (
    <RunStep
      run={install}
      job={job}
      expected={expectedInstallPhases(wizard.plan.status === 'ready' ? wizard.plan.plan : null)}
      phaseLabel={(id) => phaseLabel(t, id)}
      testIdPrefix="install"
      onCancel={async () => {
        if ('jobId' in install) await jobsStore.getState().cancel(install.jobId);
      }}
      onBack={() => agentInstallStore.getState().goTo(server.id, 'review')}
      texts={{
        title: t('install.title'),
        intro: t('install.intro', { name: server.name }),
        phases: t('install.phases'),
        progress: t('install.progress'),
        cancel: t('install.cancel'),
        failedAt: (phase) => t('install.failedAt', { phase }),
        cancelledAt: (phase) => t('install.cancelledAt', { phase }),
        failedHelp: <p className="alert__lead">{t('install.leftAsBefore')}</p>,
        cancelledHelp: <p>{t('install.leftAsBefore')}</p>,
        back: t('install.backToReview'),
      }}
    />
  );
}
