import { useEffect, useMemo, useRef } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { adminTimeZone } from '../../lib/zoned-time';
import { isTerminal } from '../../stores/jobs';
import { isRestoreJobOf } from '../../stores/restore-model';
import {
  catalogStore,
  restoreStore,
  useCatalog,
  useJobs,
  useRestore,
  useServers,
} from '../../stores';
import { STEP_HEADING_ID } from '../agent-install/StepHeading';
import { DestinationStep } from './DestinationStep';
import { ProductionZone } from './ProductionZone';
import { RestoreSteps } from './RestoreSteps';
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
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const loaded = useServers((s) => s.loaded);
  const wizard = useRestore((s) => s.wizards[id]);
  const catalog = useCatalog((s) => s.catalogs[id]?.catalog ?? null);
  const zone = useMemo(() => adminTimeZone(), []);
  // After a reload the running restore job arrives with the jobs list: pick it up then.
  const runningJob = useJobs(
    (s) => Object.values(s.jobs).find((j) => isRestoreJobOf(j, id) && !isTerminal(j))?.id,
  );

  useEffect(() => {
    restoreStore.getState().open(id);
  }, [id, runningJob]);

  useEffect(() => {
    if (!catalogStore.getState().catalogs[id]?.catalog) void catalogStore.getState().load(id);
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

  const busy = wizard.run.status === 'running' || wizard.run.status === 'starting';
  return (
    <section aria-labelledby="page-title" className="wizard restore-wizard">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('restore.title', { name: server.name })}
        </h1>
        <div className="page-head__actions">
          <Button onClick={() => navigate({ name: 'timeline', id })}>
            {t('restore.toTimeline')}
          </Button>
        </div>
      </div>
      <RestoreSteps
        step={wizard.step}
        canGoBack={!busy}
        onGoTo={(s) => restoreStore.getState().goTo(id, s)}
      />
      {wizard.step === 'target' ? (
        <TargetStep serverId={id} wizard={wizard} catalog={catalog} zone={zone} />
      ) : null}
      {wizard.step === 'destination' ? <DestinationStep server={server} wizard={wizard} /> : null}
      {wizard.step === 'summary' ? (
        <SummaryStep server={server} wizard={wizard} zone={zone} />
      ) : null}
      {wizard.step === 'run' ? <RunStep server={server} wizard={wizard} /> : null}
      {wizard.step === 'result' ? <ResultStep server={server} wizard={wizard} zone={zone} /> : null}
      <ProductionZone server={server} wizard={wizard} zone={zone} />
    </section>
  );
}
