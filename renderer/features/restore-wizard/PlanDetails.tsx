import type { RestorePlan } from '../../../shared/contract/recovery';
import { useLang, useT } from '../../app/i18n';
import { wordWarnings } from '../../app/i18n/word-phrase';
import { WarningsAlert } from '../../components/WarningsAlert';
import { formatBytes, formatDateTime, formatDuration, formatNumber } from '../../lib/format';
import { momentWithUtc } from '../timeline/moment-text';

/**
 * What a restore will do, from restore.plan: where recovery stops, the base backup it starts
 * from, how much WAL is replayed, how long it should take, the attached files, and warnings.
 */
export function PlanDetails({
  plan,
  zone,
  showFiles = true,
}: {
  plan: Omit<RestorePlan, 'request'>;
  zone: string;
  /** Off for a restore over production: it leaves the attached files as they are. */
  showFiles?: boolean;
}) {
  const t = useT();
  const lang = useLang();
  const { baseBackup } = plan;
  return (
    <div
      className="plan"
      data-testid="restore-plan"
      data-wal-segments={plan.walSegmentsToReplay}
      data-base-backup={baseBackup.label}
    >
      <dl className="facts">
        <dt>{t('plan.stopsAt')}</dt>
        <dd data-testid="plan-target">
          {plan.targetTime
            ? momentWithUtc(plan.targetTime, lang, zone)
            : plan.pgbackrestType === 'default'
              ? t('plan.stopsAtLatest')
              : t('common.unknown')}
        </dd>
        <dt>{t('plan.baseBackup')}</dt>
        <dd>
          <span className="mono">{baseBackup.label}</span>
          {baseBackup.timeStop ? (
            <span className="muted">
              {' '}
              · {t('plan.finished', { time: momentWithUtc(baseBackup.timeStop, lang, zone) })}
            </span>
          ) : null}
          {baseBackup.sizeBytes !== null ? (
            <span className="muted"> · {formatBytes(baseBackup.sizeBytes, lang)}</span>
          ) : null}
        </dd>
        <dt>{t('plan.wal')}</dt>
        <dd data-testid="plan-wal">
          {t('plan.walValue', {
            segments: formatNumber(plan.walSegmentsToReplay, lang),
            bytes: formatBytes(plan.walBytesToReplay, lang),
          })}
        </dd>
        <dt>{t('plan.estimate')}</dt>
        <dd data-testid="plan-estimate">{formatDuration(plan.estimatedSeconds, lang)}</dd>
        <dt>{t('plan.method')}</dt>
        <dd className="mono">pgbackrest restore --type={plan.pgbackrestType}</dd>
        {showFiles ? (
          <>
            <dt>{t('plan.files')}</dt>
            <dd>
              {plan.attachedFiles ? (
                t('plan.filesFrom', {
                  at: plan.attachedFiles.takenAt
                    ? formatDateTime(plan.attachedFiles.takenAt, lang)
                    : '?',
                  label: plan.attachedFiles.label,
                  snapshot: plan.attachedFiles.resticSnapshotId.slice(0, 8),
                })
              ) : (
                <span className="muted">{t('plan.filesNone')}</span>
              )}
            </dd>
          </>
        ) : null}
      </dl>
      <WarningsAlert
        title={t('plan.warnings')}
        warnings={wordWarnings(t, lang, plan)}
        data-testid="plan-warnings"
      />
    </div>
  );
}
