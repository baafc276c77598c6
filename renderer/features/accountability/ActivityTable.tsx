import type { AccountabilityEntry } from '../../../shared/contract/accountability';
import { useLang, useT } from '../../app/i18n';
import { TableWrap } from '../../components/TableWrap';
import { formatDateTime } from '../../lib/format';
import { actionLabel, errorHeading, targetText, whoText } from './activity-words';

/** The log's entries, newest first: time, who, action in words, server, target, result. */
export function ActivityTable({
  entries,
  serverName,
}: {
  entries: readonly AccountabilityEntry[];
  serverName: (id: string | null) => string | null;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <TableWrap label={t('activity.title')}>
      <table className="table activity-table" data-testid="activity-log">
        <thead>
          <tr>
            <th scope="col">{t('activity.col.time')}</th>
            <th scope="col">{t('activity.col.who')}</th>
            <th scope="col">{t('activity.col.action')}</th>
            <th scope="col">{t('activity.col.server')}</th>
            <th scope="col">{t('activity.col.target')}</th>
            <th scope="col">{t('activity.col.result')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.seq}
              data-seq={entry.seq}
              data-action={entry.action}
              data-result={entry.result}
            >
              <td>
                <time dateTime={entry.at} title={entry.at}>
                  {formatDateTime(entry.at, lang)}
                </time>
              </td>
              <td>{whoText(entry)}</td>
              <th scope="row">{actionLabel(t, entry.action)}</th>
              <td>
                {entry.serverId ? (
                  (serverName(entry.serverId) ?? <code>{entry.serverId.slice(0, 8)}</code>)
                ) : (
                  <span className="muted">{t('activity.noServer')}</span>
                )}
              </td>
              <td>
                <span className="activity-target">{targetText(entry)}</span>
              </td>
              <td>
                <span
                  className={`badge badge--${entry.result === 'failed' ? 'danger' : entry.result === 'ok' ? 'ok' : 'info'}`}
                >
                  {t(`activity.result.${entry.result}`)}
                </span>
                {entry.errorCode ? (
                  <div className="muted">
                    {/* The code in small print, as ErrorAlert shows it; its sentence on hover. */}
                    <code className="error-code" title={errorHeading(t, entry.errorCode)}>
                      {entry.errorCode}
                    </code>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
