import { useEffect, useState } from 'react';
import {
  GdprExportResult,
  type GdprExportEstimate,
  type GdprSubjectInput,
} from '../../../shared/contract/gdpr';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobFailedAlert, JobProgressBar } from '../../components/wizard/RunPanel';
import { api } from '../../lib/api';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatBytes } from '../../lib/format';
import { formatDay } from './format-day';
import { jobsStore, useJobs } from '../../stores';
import { jobPhase } from '../jobs/job-words';

/**
 * The access export of the shown subject: the size estimate first, then the export as a job
 * (its progress here and in the jobs panel, cancel), and the zip's path once written.
 */
export function ExportCard({
  subject,
  requestId,
  onDone,
}: {
  subject: GdprSubjectInput;
  /** The access request this export answers: its job and zip become the request's evidence. */
  requestId?: string;
  onDone?(): void;
}) {
  const t = useT();
  const lang = useLang();
  const [estimate, setEstimate] = useState<GdprExportEstimate | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));

  // The job may end before its last event reaches the page: ask main once it has.
  useEffect(() => {
    if (jobId) void jobsStore.getState().waitFor(jobId);
  }, [jobId]);
  // The request's status and evidence changed once the job ended: its list reads them again.
  const ended = job !== null && job.state !== 'queued' && job.state !== 'running';
  useEffect(() => {
    if (ended) onDone?.();
  }, [ended, onDone]);

  async function run(what: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const running = job !== null && (job.state === 'queued' || job.state === 'running');
  const parsed = job?.state === 'succeeded' ? GdprExportResult.safeParse(job.result) : null;
  const result = parsed?.success ? parsed.data : null;

  return (
    <div className="card" data-testid="gdpr-export">
      <h2>{t('gdpr.export.title')}</h2>
      <div className="page-head__actions">
        <Button
          busy={busy && !estimate}
          disabled={running}
          onClick={() =>
            void run(async () => setEstimate(await api().call('gdpr.export.estimate', subject)))
          }
        >
          {t('gdpr.export.estimate')}
        </Button>
        <Button
          variant="primary"
          disabled={estimate === null || running || busy}
          onClick={() =>
            void run(async () => {
              const started = requestId
                ? await api().call('gdpr.requests.export', { id: requestId })
                : await api().call('gdpr.export.start', subject);
              setJobId(started.jobId);
            })
          }
        >
          {running ? t('gdpr.export.running') : t('gdpr.export.start')}
        </Button>
      </div>
      {estimate ? (
        <p data-testid="gdpr-estimate">
          {t('gdpr.export.estimated', {
            rows: estimate.rows,
            tables: estimate.tables.length,
            size: formatBytes(estimate.bytes, lang),
          })}
        </p>
      ) : null}
      {error ? <ErrorAlert error={error} data-testid="gdpr-export-error" /> : null}
      {running ? (
        <JobProgressBar
          job={job}
          label={t('gdpr.export.progress')}
          valueText={jobPhase(t, job) ?? undefined}
        >
          <Button
            onClick={() => void run(async () => void (await jobsStore.getState().cancel(job.id)))}
          >
            {t('gdpr.export.cancel')}
          </Button>
        </JobProgressBar>
      ) : null}
      {result ? (
        <Alert
          tone="success"
          title={t('gdpr.export.done', { path: result.path })}
          data-testid="gdpr-export-done"
        >
          <p className="mono">{t('gdpr.export.sha256', { sha256: result.sha256 })}</p>
          {result.backupsExpire ? (
            <p>{t('gdpr.export.backupsExpire', { date: formatDay(result.backupsExpire, lang) })}</p>
          ) : null}
        </Alert>
      ) : null}
      {job?.state === 'failed' || job?.state === 'interrupted' ? (
        <JobFailedAlert job={job} title={t('gdpr.export.failed')} testId="gdpr-export-failed" />
      ) : null}
      {job?.state === 'cancelled' ? (
        <Alert tone="info" title={t('gdpr.export.cancelled')} data-testid="gdpr-export-cancelled" />
      ) : null}
    </div>
  );
}
