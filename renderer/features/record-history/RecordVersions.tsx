import type { RecordVersion } from '../../../shared/audit/rollback-plan';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { formatMoment } from './moment';
import { FieldTable } from './FieldTable';
import { versionChanges } from './record-text';

/**
 * A record's versions, newest first, as a small vertical timeline: what happened, when, by
 * which database user and application (and for a rollback, who asked and why), the fields it
 * changed against the version before, and the way back to before it.
 */
export function RecordVersions({
  versions,
  busyId,
  onPick,
}: {
  versions: readonly RecordVersion[];
  /** The version whose preview is being prepared. */
  busyId: string | null;
  onPick(version: RecordVersion): void;
}) {
  const t = useT();
  const lang = useLang();
  const newestFirst = [...versions].reverse();
  return (
    <ol className="record-versions" data-testid="record-versions">
      {newestFirst.map((v) => {
        const at = formatMoment(v.at, lang);
        return (
          <li key={v.id} className="record-version" data-testid="record-version" data-op={v.op}>
            <p className="record-version__head">
              <strong>{t(`records.op.${v.op}`)}</strong> <time dateTime={v.at}>{at}</time>{' '}
              {t('records.by', { user: v.dbUser })},{' '}
              {v.applicationName
                ? t('records.app', { app: v.applicationName })
                : t('records.app.none')}
            </p>
            {v.reason ? (
              <p className="small">
                {t('records.reason', { actor: v.actor ?? '–', reason: v.reason })}
              </p>
            ) : null}
            <FieldTable
              caption={t('records.diff', { at })}
              left="records.col.before"
              right="records.col.after"
              rows={versionChanges(v).map((c) => ({
                column: c.column,
                left: c.before,
                right: c.after,
              }))}
              data-testid="version-diff"
            />
            <Button busy={busyId === v.id} onClick={() => onPick(v)}>
              {busyId === v.id ? t('records.previewing') : t('records.rollbackTo')}
            </Button>
          </li>
        );
      })}
    </ol>
  );
}
