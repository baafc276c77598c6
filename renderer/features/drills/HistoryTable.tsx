import type { DrillReportEntry } from '../../../shared/contract/reports';
import { useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatDuration } from '../../lib/format';
import { TableWrap } from '../../components/TableWrap';

/** Archived reports, newest first: result, date, RTO, RPO, signer, and the report to open. */
export function HistoryTable({
  serverId,
  reports,
}: {
  serverId: string;
  reports: readonly DrillReportEntry[];
}) {
  const t = useT();
  const lang = useLang();
  const navigate = useRoute((s) => s.navigate);
  if (reports.length === 0) {
    return (
      <p className="empty" data-testid="drill-history-empty">
        {t('drills.history.empty')}
      </p>
    );
  }
  return (
    <TableWrap label={t('drills.history.caption')}>
      <table className="table" data-testid="drill-history">
        <caption className="visually-hidden">{t('drills.history.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('drills.col.date')}</th>
            <th scope="col">{t('drills.col.result')}</th>
            <th scope="col" className="num">
              {t('drills.col.rto')}
            </th>
            <th scope="col" className="num">
              {t('drills.col.rpo')}
            </th>
            <th scope="col">{t('drills.col.signer')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('drills.col.report')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => {
            const date = formatDateTime(r.startedAt, lang);
            return (
              <tr
                key={r.drillId}
                data-testid={`drill-row-${r.drillId}`}
                data-passed={String(r.passed)}
              >
                <th scope="row">
                  <time dateTime={r.startedAt}>{date}</time>
                </th>
                <td>
                  <StatusBadge tone={r.passed ? 'ok' : 'danger'}>
                    {r.passed ? t('drills.passed') : t('drills.failed')}
                  </StatusBadge>
                </td>
                <td className="num">
                  {r.rtoSeconds === null ? t('common.none') : formatDuration(r.rtoSeconds, lang)}
                </td>
                <td className="num">{formatDuration(r.rpoSeconds, lang)}</td>
                <td>
                  {t(`drills.signer.${r.signer}`)}
                  {r.countersigned ? ` ${t('drills.countersigned')}` : ''}
                </td>
                <td>
                  <Button
                    variant="ghost"
                    aria-label={t('drills.openNamed', { date })}
                    onClick={() => navigate({ name: 'drills', id: serverId, drill: r.drillId })}
                  >
                    {t('drills.open')}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
