import { useRef, useState } from 'react';
import type { Job, Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgressBar } from '../../components/wizard/RunPanel';
import { toApiError, type ApiError } from '../../lib/api-client';
import { drillsStore, useDrills, useJobs } from '../../stores';
import type { DrillRun } from '../../stores/drills';
import { drillPhaseLabel } from './drill-labels';
import { DrillPhases } from './DrillPhases';
import { ErrorLine } from '../../components/ErrorLine';

function ConfirmDialog({ server, onCancel }: { server: Server; onCancel(): void }) {
  const t = useT();
  const confirmRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={t('drills.run.confirmTitle', { name: server.name })}
      onCancel={onCancel}
      initialFocus={confirmRef}
      data-testid="drill-confirm"
      actions={
        <>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          <Button
            ref={confirmRef}
            variant="primary"
            onClick={() => {
              onCancel();
              void drillsStore.getState().start(server.id);
            }}
          >
            {t('drills.run.confirm')}
          </Button>
        </>
      }
    >
      <p>{t('drills.run.confirmText', { name: server.name })}</p>
    </Dialog>
  );
}

/**
 * A drill whose checks failed still went through every phase and archived its report: its
 * phases show as done, and the outcome below says it failed and why.
 */
function reportedJob(run: Extract<DrillRun, { jobId: string }>, job: Job | null): Job | null {
  const ranThrough = run.status === 'failed' && run.drillId && run.error?.code === 'DRILL_FAILED';
  return ranThrough && job ? { ...job, state: 'succeeded' } : job;
}

/** The live drill: phases, progress and ETA, cancel. */
function Progress({
  serverId,
  run,
}: {
  serverId: string;
  run: Extract<DrillRun, { jobId: string }>;
}) {
  const t = useT();
  const job = useJobs((s) => s.jobs[run.jobId] ?? null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const active = run.status === 'running';
  const current = job?.phase ? drillPhaseLabel(t, job.phase) : '';

  async function cancel() {
    setCancelling(true);
    setError(null);
    try {
      await drillsStore.getState().cancel(serverId);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <div data-testid="drill-progress" data-state={run.status}>
      <DrillPhases phases={run.phases} job={reportedJob(run, job)} />
      {active ? (
        <JobProgressBar
          job={job}
          label={t('drills.run.progress')}
          valueText={current}
          testId="drill-eta"
        >
          <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
            {t('drills.run.cancel')}
          </Button>
        </JobProgressBar>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </div>
  );
}

function Outcome({
  serverId,
  run,
}: {
  serverId: string;
  run: Extract<DrillRun, { jobId: string }>;
}) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const drill = run.drillId;
  const open = drill ? () => navigate({ name: 'drills', id: serverId, drill }) : null;
  const openButton = open ? <Button onClick={open}>{t('drills.run.openReport')}</Button> : null;
  if (run.status === 'succeeded') {
    return (
      <Alert tone="success" title={t('drills.run.succeeded')} data-testid="drill-succeeded">
        {openButton}
      </Alert>
    );
  }
  if (run.status === 'cancelled') {
    return (
      <Alert tone="warning" data-testid="drill-cancelled">
        <p>{t('drills.run.cancelled')}</p>
      </Alert>
    );
  }
  if (run.status !== 'failed') return null;
  return (
    <Alert tone="danger" title={t('drills.run.failed')} data-testid="drill-failed">
      {run.error ? <ErrorLine className="alert__message" error={run.error} /> : null}
      {run.drillId ? <p>{t('drills.run.failedArchived')}</p> : null}
      {openButton}
    </Alert>
  );
}

/** "Run drill now" with a confirmation, then the drill live and how it ended. */
export function RunCard({ server }: { server: Server }) {
  const t = useT();
  const run = useDrills((s) => s.servers[server.id]?.run) ?? { status: 'idle' as const };
  const [confirming, setConfirming] = useState(false);
  const busy = run.status === 'running' || run.status === 'starting';
  return (
    <div className="card" data-testid="drill-run">
      <div className="card__head">
        <h2>{t('drills.run.title')}</h2>
        <Button
          variant="primary"
          busy={busy}
          onClick={() => setConfirming(true)}
          data-testid="drill-run-button"
        >
          {run.status === 'starting' ? t('drills.run.starting') : t('drills.run.button')}
        </Button>
      </div>
      <p className="muted">{t('drills.run.intro')}</p>
      {run.status === 'rejected' ? <ErrorAlert error={run.error} /> : null}
      {'jobId' in run ? (
        <>
          <Progress serverId={server.id} run={run} />
          <Outcome serverId={server.id} run={run} />
        </>
      ) : null}
      {confirming ? <ConfirmDialog server={server} onCancel={() => setConfirming(false)} /> : null}
    </div>
  );
}
