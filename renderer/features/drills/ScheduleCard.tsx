import type { DrillOverview } from '../../../shared/contract/drill';
import type { DrillReportEntry } from '../../../shared/contract/reports';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/format';
import { drillsStore, useDrills } from '../../stores';
import { everyText } from './drill-labels';

/** Bucket sync feedback: how many came in, which were refused and why. */
function SyncOutcome({ serverId }: { serverId: string }) {
  const t = useT();
  const sync = useDrills((s) => s.servers[serverId]?.sync);
  if (!sync || sync.status === 'idle' || sync.status === 'syncing') return null;
  if (sync.status === 'failed') return <ErrorAlert error={sync.error} />;
  const { result } = sync;
  return (
    <>
      <p role="status" className="muted" data-testid="drill-sync-result">
        {result.imported > 0
          ? t('drills.syncDone.some', { count: result.imported })
          : t('drills.syncDone.none')}
        {result.pending.length > 0
          ? ` ${t('drills.syncPending', { ids: result.pending.join(', ') })}`
          : ''}
      </p>
      {result.refused.length > 0 ? (
        <Alert tone="danger" data-testid="drill-sync-refused">
          <ul className="alert__list">
            {result.refused.map((r) => (
              <li key={r.drillId}>
                {t('drills.refused', { drillId: r.drillId, message: r.message })}
              </li>
            ))}
          </ul>
          <p>{t('drills.refusedHint')}</p>
        </Alert>
      ) : null}
    </>
  );
}

/** Next scheduled drill, interval, smoke checks and the last drill at a glance. */
export function ScheduleCard({
  overview,
  last,
}: {
  overview: DrillOverview;
  /** The newest archived report: the archive may be newer than the overview. */
  last: DrillReportEntry | undefined;
}) {
  const t = useT();
  const lang = useLang();
  const syncing = useDrills((s) => s.servers[overview.serverId]?.sync.status === 'syncing');
  const interval = overview.intervalSeconds;
  const next =
    interval === 0
      ? t('drills.schedule.off')
      : overview.nextDrillAt
        ? formatDateTime(overview.nextDrillAt, lang)
        : t('drills.schedule.nextUnknown');
  return (
    <div className="card" data-testid="drill-schedule">
      <div className="card__head">
        <h2>{t('drills.schedule.title')}</h2>
        <Button busy={syncing} onClick={() => void drillsStore.getState().sync(overview.serverId)}>
          {t('drills.sync')}
        </Button>
      </div>
      <dl className="facts">
        <dt>{t('drills.schedule.next')}</dt>
        <dd data-testid="drill-next">
          {overview.nextDrillAt && interval !== 0 ? (
            <time dateTime={overview.nextDrillAt}>{next}</time>
          ) : (
            next
          )}
          {overview.scheduleSource !== 'none' && interval !== 0 ? (
            <span className="muted small">
              {' '}
              · {t(`drills.schedule.source.${overview.scheduleSource}`)}
            </span>
          ) : null}
        </dd>
        <dt>{t('drills.schedule.every')}</dt>
        <dd data-testid="drill-interval">
          {interval === null
            ? t('common.unknown')
            : interval === 0
              ? t('drills.schedule.off')
              : everyText(t, interval)}
        </dd>
        <dt>{t('drills.schedule.smokeChecks')}</dt>
        <dd>
          {overview.smokeChecks === null
            ? t('common.unknown')
            : t('drills.schedule.smokeChecksValue', { count: overview.smokeChecks.length })}
        </dd>
        <dt>{t('drills.schedule.amcheck')}</dt>
        <dd data-testid="drill-amcheck-mode">
          {overview.amcheckHeapAllIndexed === null
            ? t('common.unknown')
            : overview.amcheckHeapAllIndexed
              ? t('drills.schedule.amcheck.deep')
              : t('drills.schedule.amcheck.standard')}
        </dd>
        <dt>{t('drills.schedule.last')}</dt>
        <dd data-testid="drill-last">
          {last ? (
            <>
              <time dateTime={last.startedAt}>{formatDateTime(last.startedAt, lang)}</time>{' '}
              <StatusBadge tone={last.passed ? 'ok' : 'danger'}>
                {last.passed ? t('drills.passed') : t('drills.failed')}
              </StatusBadge>
            </>
          ) : (
            t('drills.schedule.never')
          )}
        </dd>
      </dl>
      {overview.settingsError ? (
        <Alert tone="warning">
          {t('drills.schedule.unreadable', { reason: overview.settingsError })}
        </Alert>
      ) : null}
      <SyncOutcome serverId={overview.serverId} />
    </div>
  );
}
