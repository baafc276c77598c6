import { useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { AgentUninstallResult } from '../../../shared/contract/uninstall';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { call, toApiError, type ApiError } from '../../lib/api';
import { useJobs } from '../../stores';
import { JobProgress } from '../jobs/JobProgress';

type Step =
  | { name: 'closed' }
  | { name: 'review'; restart: boolean; understood: boolean; busy: boolean; error: ApiError | null }
  | { name: 'running'; jobId: string };

/**
 * Removing the agent from a server (issue 16 §5), with the review install has: what will change
 * is listed first and the admin confirms it; then the job's phases; then what uninstall put
 * back, what it left, and whether PostgreSQL still needs a restart. Backups stay in the bucket.
 */
export function UninstallCard({ server, installed }: { server: Server; installed: boolean }) {
  const t = useT();
  const [step, setStep] = useState<Step>({ name: 'closed' });

  // Mounted also without an agent, so the result stays once the agent is gone.
  if (step.name === 'closed') {
    if (!installed) return null;
    return (
      <div className="card" data-testid="uninstall-card">
        <h2>{t('uninstall.title')}</h2>
        <p className="muted">{t('uninstall.intro')}</p>
        <div className="actions">
          <Button
            variant="danger"
            onClick={() =>
              setStep({
                name: 'review',
                restart: false,
                understood: false,
                busy: false,
                error: null,
              })
            }
          >
            {t('uninstall.open')}
          </Button>
        </div>
      </div>
    );
  }

  if (step.name === 'running') return <UninstallRun server={server} jobId={step.jobId} />;

  async function start(review: Extract<Step, { name: 'review' }>) {
    setStep({ ...review, busy: true, error: null });
    try {
      const { jobId } = await call('agent.uninstall', {
        serverId: server.id,
        confirmRestart: review.restart,
      });
      setStep({ name: 'running', jobId });
    } catch (err) {
      setStep({ ...review, busy: false, error: toApiError(err) });
    }
  }

  return (
    <div className="card" data-testid="uninstall-review">
      <h2>{t('uninstall.review.title', { name: server.name })}</h2>
      <p>{t('uninstall.review.intro')}</p>
      <ul data-testid="uninstall-changes">
        <li>{t('uninstall.review.stop')}</li>
        <li>{t('uninstall.review.settings')}</li>
        <li>{t('uninstall.review.files')}</li>
        <li>{t('uninstall.review.kept')}</li>
      </ul>
      <label className="choice">
        <input
          type="checkbox"
          checked={step.restart}
          onChange={(e) => setStep({ ...step, restart: e.target.checked })}
        />{' '}
        {t('uninstall.review.restart')}
      </label>
      <p className="muted">{t('uninstall.review.restartHint')}</p>
      <label className="choice">
        <input
          type="checkbox"
          checked={step.understood}
          onChange={(e) => setStep({ ...step, understood: e.target.checked })}
          data-testid="uninstall-understood"
        />{' '}
        {t('uninstall.review.understood')}
      </label>
      {step.error ? <ErrorAlert error={step.error} /> : null}
      <div className="actions">
        <Button
          variant="danger"
          busy={step.busy}
          disabled={!step.understood}
          onClick={() => void start(step)}
        >
          {t('uninstall.review.confirm')}
        </Button>
        <Button onClick={() => setStep({ name: 'closed' })}>{t('common.cancel')}</Button>
      </div>
    </div>
  );
}

/** The uninstall job live, then what it did. */
function UninstallRun({ server, jobId }: { server: Server; jobId: string }) {
  const t = useT();
  const job = useJobs((s) => s.jobs[jobId]);
  const parsed = job?.state === 'succeeded' ? AgentUninstallResult.safeParse(job.result) : null;
  return (
    <div className="card" data-testid="uninstall-run">
      <h2>{t('uninstall.run.title', { name: server.name })}</h2>
      <JobProgress jobId={jobId} />
      {parsed?.success ? <UninstallOutcome result={parsed.data} /> : null}
      {parsed && !parsed.success ? (
        <Alert tone="warning" title={t('uninstall.result.unreadable')} />
      ) : null}
    </div>
  );
}

function UninstallOutcome({ result }: { result: AgentUninstallResult }) {
  const t = useT();
  return (
    <div data-testid="uninstall-result">
      <Alert
        tone={result.restartPending ? 'warning' : 'success'}
        title={
          result.restartPending ? t('uninstall.result.restartPending') : t('uninstall.result.done')
        }
        data-testid="uninstall-restart"
      >
        {result.restarted ? <p>{t('uninstall.result.restarted')}</p> : null}
        {!result.recordFound ? <p>{t('uninstall.result.noRecord')}</p> : null}
      </Alert>
      <h3>{t('uninstall.result.restored')}</h3>
      {result.restored.length === 0 ? (
        <p className="muted">{t('uninstall.result.none')}</p>
      ) : (
        <ul data-testid="uninstall-restored">
          {result.restored.map((s) => (
            <li key={s.name}>
              <span className="mono">{s.name}</span>:{' '}
              {t('uninstall.result.setting', { before: s.before || '–', now: s.now || '–' })}
            </li>
          ))}
        </ul>
      )}
      {result.left.length > 0 ? (
        <>
          <h3>{t('uninstall.result.left')}</h3>
          <ul>
            {result.left.map((s) => (
              <li key={s.name} className="mono">
                {s.name}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result.interim.length > 0 ? (
        <>
          <h3>{t('uninstall.result.interim')}</h3>
          <ul>
            {result.interim.map((s) => (
              <li key={s.name}>
                <span className="mono">
                  {s.name} = {s.value}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
