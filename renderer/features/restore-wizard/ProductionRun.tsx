import type { Job } from '../../../shared/contract/domain';
import type { ProductionRestoreResult } from '../../../shared/contract/recovery';
import { PRODUCTION_RESTORE_PHASES } from '../../../shared/contract/restore-phases';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { JobFailedAlert, JobPhases, JobProgressBar } from '../../components/wizard/RunPanel';
import { formatDuration } from '../../lib/format';
import type { ProductionRestore } from '../../stores/restore-production';
import { momentWithUtc } from '../timeline/moment-text';
import { ChecksTable } from './ChecksTable';
import { productionPhaseLabel } from './restore-labels';

/** The outcome: whether every check passed, the safety snapshot that undoes it, the checks. */
function ProductionResult({ result, zone }: { result: ProductionRestoreResult; zone: string }) {
  const t = useT();
  const lang = useLang();
  const passed = result.checks.length > 0 && result.checks.every((c) => c.ok);
  const downSeconds = Math.max(
    0,
    Math.round((Date.parse(result.startedAt) - Date.parse(result.stoppedAt)) / 1000),
  );
  return (
    <div data-testid="production-result" data-passed={String(passed)}>
      <Alert
        tone={passed ? 'success' : 'warning'}
        title={passed ? t('production.done') : t('production.doneChecksFailed')}
      >
        <p>
          {t('production.timeline', {
            timeline: result.timeline ?? '?',
            duration: formatDuration(downSeconds, lang),
          })}
        </p>
      </Alert>
      <dl className="facts">
        <dt>{t('result.restoredTo')}</dt>
        <dd>
          {result.targetTime ? momentWithUtc(result.targetTime, lang, zone) : t('common.unknown')}
          <span className="muted"> · {t('result.fromBackup', { label: result.baseBackup })}</span>
        </dd>
        <dt>{t('production.safety')}</dt>
        <dd data-testid="production-safety" data-label={result.safetySnapshot.label}>
          {t('production.safetyText', {
            label: result.safetySnapshot.label,
            time: momentWithUtc(result.safetySnapshot.at, lang, zone),
          })}
        </dd>
      </dl>
      <ChecksTable checks={result.checks} />
    </div>
  );
}

/**
 * The dialog's second part: the job's phases with progress and ETA while it runs, then the
 * result with the safety snapshot, or what went wrong (main's message names the state
 * production is in and the safety snapshot to restore).
 */
export function ProductionRun({
  state,
  job,
  zone,
}: {
  state: ProductionRestore;
  job: Job | null;
  zone: string;
}) {
  const t = useT();
  const { run } = state;
  const phases = 'phases' in run ? run.phases : [];
  const last = phases[phases.length - 1];
  const where = last ? productionPhaseLabel(t, last) : t('install.beforeFirstStep');
  return (
    <div data-testid="production-progress" data-state={run.status}>
      {run.status === 'running' ? <p className="muted">{t('production.runIntro')}</p> : null}
      <JobPhases
        run={run}
        job={job}
        expected={PRODUCTION_RESTORE_PHASES}
        label={(id) => productionPhaseLabel(t, id)}
        ariaLabel={t('restore.run.phases')}
        testId="production-phases"
      />
      {run.status === 'running' ? (
        <JobProgressBar job={job} label={t('production.progress')} testId="restore-eta" />
      ) : null}
      {run.status === 'succeeded' && state.result ? (
        <ProductionResult result={state.result} zone={zone} />
      ) : null}
      {run.status === 'failed' ? (
        <JobFailedAlert
          job={job}
          title={t('production.failed', { phase: where })}
          testId="production-failed"
        >
          <p>{t('production.failedHelp')}</p>
        </JobFailedAlert>
      ) : null}
      {run.status === 'cancelled' ? (
        <Alert
          tone="warning"
          title={t('production.cancelled')}
          data-testid="production-cancelled"
        />
      ) : null}
    </div>
  );
}
