import type { RestoreCheck } from '../../../shared/contract/recovery';
import { useT } from '../../app/i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { checkLabel } from './restore-labels';
import { TableWrap } from '../../components/TableWrap';

/** The verification of a restored cluster: each check passed or failed, with its detail. */
export function ChecksTable({ checks }: { checks: readonly RestoreCheck[] }) {
  const t = useT();
  if (checks.length === 0) return <p className="muted">{t('checks.none')}</p>;
  return (
    <TableWrap label={t('checks.caption')}>
      <table className="table" data-testid="restore-checks">
        <caption className="visually-hidden">{t('checks.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('checks.col.check')}</th>
            <th scope="col">{t('checks.col.result')}</th>
            <th scope="col">{t('checks.col.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.name} data-testid={`check-${c.name}`} data-ok={String(c.ok)}>
              <th scope="row">{checkLabel(t, c.name)}</th>
              <td>
                <StatusBadge tone={c.ok ? 'ok' : 'danger'}>
                  {c.ok ? t('checks.pass') : t('checks.fail')}
                </StatusBadge>
              </td>
              <td className="checks__detail">{c.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
