import { useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { AgentUpdateResult, type AgentUpdateReview } from '../../../shared/contract/agent-update';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { call, toApiError, type ApiError } from '../../lib/api';
import { useJobs } from '../../stores';
import { JobProgress } from '../jobs/JobProgress';

type Step =
  | { name: 'closed'; busy: boolean; error: ApiError | null }
  | { name: 'review'; review: AgentUpdateReview; busy: boolean; error: ApiError | null }
  | { name: 'running'; jobId: string };

/**
 * Updating the agent program (issue 16 §5) with the review install has: first what the server
 * runs against what this app carries (read over SSH, nothing changed), then what the update
 * replaces, restarts and keeps; the admin confirms; then the job's phases and its outcome.
 */
export function UpdateCard({ server }: { server: Server }) {
  const t = useT();
  const [step, setStep] = useState<Step>({ name: 'closed', busy: false, error: null });
  const version = (v: string | null) => v ?? t('update.unknownVersion');

  async function check() {
    setStep({ name: 'closed', busy: true, error: null });
    try {
      const review = await call('agent.updateReview', { serverId: server.id });
      setStep({ name: 'review', review, busy: false, error: null });
    } catch (err) {
      setStep({ name: 'closed', busy: false, error: toApiError(err) });
    }
  }

  async function start(current: Extract<Step, { name: 'review' }>) {
    setStep({ ...current, busy: true, error: null });
    try {
      const { jobId } = await call('agent.update', { serverId: server.id });
      setStep({ name: 'running', jobId });
    } catch (err) {
      setStep({ ...current, busy: false, error: toApiError(err) });
    }
  }

  if (step.name === 'running') return <UpdateRun server={server} jobId={step.jobId} />;

  if (step.name === 'review' && !step.review.current) {
    const { review } = step;
    return (
      <div className="card" data-testid="update-review">
        <h2>
          {t('update.review.title', {
            from: version(review.installedVersion),
            to: review.bundledVersion,
          })}
        </h2>
        <p>{t('update.review.intro')}</p>
        <ul>
          <li>{t('update.review.files', { files: review.replaces.join(', ') })}</li>
          <li>{t('update.review.restart', { scheduler: review.scheduler })}</li>
          <li>{t('update.review.kept', { files: review.keeps.join(', ') })}</li>
        </ul>
        <p className="muted mono">
          {t('update.review.fingerprint', { sha256: review.bundledSha256 })}
        </p>
        {step.error ? <ErrorAlert error={step.error} /> : null}
        <div className="actions">
          <Button variant="primary" busy={step.busy} onClick={() => void start(step)}>
            {t('update.confirm')}
          </Button>
          <Button onClick={() => setStep({ name: 'closed', busy: false, error: null })}>
            {t('common.cancel')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="card" data-testid="update-card">
      <h2>{t('update.title')}</h2>
      <p className="muted">{t('update.intro')}</p>
      {step.name === 'review' ? (
        <Alert
          tone="success"
          title={t('update.current', { version: version(step.review.installedVersion) })}
        />
      ) : null}
      {step.error ? <ErrorAlert error={step.error} /> : null}
      <div className="actions">
        <Button busy={step.busy} onClick={() => void check()}>
          {t('update.check')}
        </Button>
      </div>
    </div>
  );
}

/** The update job live, then what it did. */
function UpdateRun({ server, jobId }: { server: Server; jobId: string }) {
  const t = useT();
  const job = useJobs((s) => s.jobs[jobId]);
  const parsed = job?.state === 'succeeded' ? AgentUpdateResult.safeParse(job.result) : null;
  const result = parsed?.success ? parsed.data : null;
  return (
    <div className="card" data-testid="update-run">
      <h2>{t('update.run.title', { name: server.name })}</h2>
      <JobProgress jobId={jobId} />
      {result ? (
        <Alert
          tone="success"
          data-testid="update-result"
          title={
            result.updated
              ? t('update.result.done', {
                  version: result.toVersion ?? t('update.unknownVersion'),
                  seconds: result.pausedSeconds,
                })
              : t('update.result.already')
          }
        />
      ) : null}
    </div>
  );
}
