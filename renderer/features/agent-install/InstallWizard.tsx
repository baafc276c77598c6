import { useEffect, useRef } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { isInstallJobOf } from '../../stores/agent-install-model';
import { isTerminal } from '../../stores/jobs';
import {
  agentInstallStore,
  serversStore,
  storageStore,
  useAgentInstall,
  useJobs,
  useServers,
} from '../../stores';
import { ClusterStep } from './ClusterStep';
import { DoneStep } from './DoneStep';
import { InstallStep } from './InstallStep';
import { ReviewStep } from './ReviewStep';
import { STEP_HEADING_ID } from './StepHeading';
import { StorageStep } from './StorageStep';
import { WizardProgress } from './WizardProgress';

/**
 * Setting up backups for one server, as five steps: storage, cluster and settings, review
 * (with the restart question), the install job, done. State lives in the agent-install store,
 * so leaving the page and coming back keeps the wizard (and a running install).
 */
export function InstallWizard({ id }: { id: string }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const loaded = useServers((s) => s.loaded);
  const wizard = useAgentInstall((s) => s.wizards[id]);
  // After a reload the running install job arrives with the jobs list: pick it up then.
  const runningJob = useJobs(
    (s) => Object.values(s.jobs).find((j) => isInstallJobOf(j, id) && !isTerminal(j))?.id,
  );
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

  // Each new step starts at its heading, for keyboard and screen reader users.
  const step = wizard?.step;
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    const first = shownStep.current === undefined;
    shownStep.current = step;
    if (!first) document.getElementById(STEP_HEADING_ID)?.focus();
  }, [step]);

  if (!server || !wizard) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {loaded && !server ? t('detail.notFound') : t('common.loading')}
        </h1>
        <Button onClick={() => navigate({ name: 'servers' })}>{t('common.back')}</Button>
      </section>
    );
  }

  const busy = wizard.install.status === 'running' || wizard.install.status === 'starting';
  const canGoBack = !busy && wizard.step !== 'done';

  return (
    <section aria-labelledby="page-title" className="wizard">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('wizard.title', { name: server.name })}
        </h1>
        <Button onClick={() => navigate({ name: 'server', id })}>{t('wizard.toServer')}</Button>
      </div>
      <WizardProgress
        step={wizard.step}
        canGoBack={canGoBack}
        onGoTo={(s) => agentInstallStore.getState().goTo(id, s)}
      />
      {wizard.step === 'storage' ? <StorageStep server={server} /> : null}
      {wizard.step === 'cluster' ? <ClusterStep server={server} draft={wizard.draft} /> : null}
      {wizard.step === 'review' ? <ReviewStep server={server} wizard={wizard} /> : null}
      {wizard.step === 'install' ? <InstallStep server={server} wizard={wizard} /> : null}
      {wizard.step === 'done' ? <DoneStep server={server} wizard={wizard} /> : null}
    </section>
  );
}
