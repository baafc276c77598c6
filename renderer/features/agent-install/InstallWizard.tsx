import { useEffect } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { useRunningJobId, useWizardServer } from '../../components/wizard/use-run-job';
import { WizardPage } from '../../components/wizard/WizardPage';
import { WizardSteps } from '../../components/wizard/WizardSteps';
import { isInstallJobOf, WIZARD_STEPS } from '../../stores/agent-install-model';
import { runBusy } from '../../stores/job-run';
import { agentInstallStore, serversStore, storageStore, useAgentInstall } from '../../stores';
import { ClusterStep } from './ClusterStep';
import { DoneStep } from './DoneStep';
import { InstallStep } from './InstallStep';
import { ReviewStep } from './ReviewStep';
import { StorageStep } from './StorageStep';

/**
 * Setting up backups for one server, as five steps: storage, cluster and settings, review
 * (with the restart question), the install job, done. State lives in the agent-install store,
 * so leaving the page and coming back keeps the wizard (and a running install).
 */
export function InstallWizard({ id }: { id: string }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const { server, notFound } = useWizardServer(id);
  const wizard = useAgentInstall((s) => s.wizards[id]);
  // After a reload the running install job arrives with the jobs list: pick it up then.
  const runningJob = useRunningJobId((j) => isInstallJobOf(j, id));
  const present = server !== undefined;

  // A new visit after a finished setup starts over; a running install is picked up again.
  useEffect(() => {
    const current = serversStore.getState().servers.find((x) => x.id === id);
    if (current) agentInstallStore.getState().open(current, { restartDone: true });
  }, [id, present]);
  useEffect(() => {
    const current = serversStore.getState().servers.find((x) => x.id === id);
    if (current && runningJob) agentInstallStore.getState().open(current);
  }, [id, runningJob]);

  useEffect(() => {
    void storageStore.getState().load(id);
  }, [id]);

  const canGoBack = wizard ? !runBusy(wizard.install) && wizard.step !== 'done' : false;
  return (
    <WizardPage
      ready={server !== undefined && wizard !== undefined}
      notFound={notFound}
      title={t('wizard.title', { name: server?.name ?? '' })}
      step={wizard?.step}
      exit={
        <Button onClick={() => navigate({ name: 'server', id })}>{t('wizard.toServer')}</Button>
      }
      steps={
        wizard ? (
          <WizardSteps
            steps={WIZARD_STEPS}
            step={wizard.step}
            label={(s) => t(`wizard.step.${s}`)}
            ariaLabel={t('wizard.progress')}
            testIdPrefix="wizard-step"
            canGoTo={() => canGoBack}
            onGoTo={(s) => agentInstallStore.getState().goTo(id, s)}
          />
        ) : null
      }
    >
      {server && wizard ? (
        <>
          {wizard.step === 'storage' ? <StorageStep server={server} /> : null}
          {wizard.step === 'cluster' ? <ClusterStep server={server} draft={wizard.draft} /> : null}
          {wizard.step === 'review' ? <ReviewStep server={server} wizard={wizard} /> : null}
          {wizard.step === 'install' ? <InstallStep server={server} wizard={wizard} /> : null}
          {wizard.step === 'done' ? <DoneStep server={server} wizard={wizard} /> : null}
        </>
      ) : null}
    </WizardPage>
  );
}
