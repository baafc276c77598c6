import type { StorageCheckReport } from '../../../shared/contract/storage';
import { useLang, useT } from '../../app/i18n';
import { wordPhrases } from '../../app/i18n/word-phrase';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { TableWrap } from '../../components/TableWrap';

type CheckState = StorageCheckReport['items'][number]['state'];

const STATE_TONES: Record<CheckState, Tone> = {
  passed: 'ok',
  failed: 'danger',
  warning: 'warn',
  skipped: 'neutral',
};

export function CheckStateBadge({ state }: { state: CheckState }) {
  const t = useT();
  return (
    <StatusBadge tone={STATE_TONES[state]}>
      {state === 'passed' ? '✓ ' : state === 'failed' ? '✗ ' : state === 'warning' ? '! ' : ''}
      {t(`storage.state.${state}`)}
    </StatusBadge>
  );
}

/** What the bucket check found: provider, location, versioning, Object Lock and each check. */
export function StorageReportView({ report }: { report: StorageCheckReport }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="storage-report" data-testid="storage-report" data-passed={report.passed}>
      <dl className="facts">
        <dt>{t('storage.report.endpoint')}</dt>
        <dd className="mono">{report.endpointHost}</dd>
        <dt>{t('storage.report.provider')}</dt>
        <dd data-testid="storage-provider">{t(`storage.provider.${report.provider}`)}</dd>
        <dt>{t('storage.report.location')}</dt>
        <dd className="mono" data-testid="storage-location">
          {report.location ?? t('storage.report.locationNone')}
        </dd>
        <dt>{t('storage.report.versioning')}</dt>
        <dd>{t(`storage.versioning.${report.versioning}`)}</dd>
        <dt>{t('storage.report.objectLock')}</dt>
        <dd>{t(`storage.objectLock.${report.objectLock}`)}</dd>
      </dl>
      <TableWrap label={t('storage.report.caption')}>
        <table className="table storage-report__items">
          <caption className="visually-hidden">{t('storage.report.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('storage.report.col.check')}</th>
              <th scope="col">{t('storage.report.col.result')}</th>
              <th scope="col">{t('storage.report.col.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {report.items.map((item) => (
              <tr key={item.id} data-testid={`check-${item.id}`} data-state={item.state}>
                <th scope="row">{t(`storage.check.${item.id}`)}</th>
                <td>
                  <CheckStateBadge state={item.state} />
                </td>
                <td className="storage-report__detail">
                  {item.words ? wordPhrases(t, lang, item.words) : item.detail}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}
