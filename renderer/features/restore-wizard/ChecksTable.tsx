import type { RestoreCheck } from '../../../shared/contract/recovery';
import { useT } from '../../app/i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { checkLabel } from './restore-labels';
import { TableWrap } from '../../components/TableWrap';

/** One row: a check by name, passed or not, and what it found (in the tool's words). */
interface CheckRow {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * The verification of a restored cluster (or, with `label`, `caption` and `testId`, another
 * list of checks such as a rebuild's pre-flight): each check passed or failed, with its detail.
 */
export function ChecksTable<C extends CheckRow = RestoreCheck>({
  checks,
  label,
  caption,
  testId = 'restore-checks',
  rowTestId = 'check',
  detailLang,
}: {
  checks: readonly C[];
  label?: (name: C['name']) => string;
  caption?: string;
  testId?: string;
  /** Each row's test id is `${rowTestId}-${name}`. */
  rowTestId?: string;
  /** The details' language when it is not the page's (a tool's own English words). */
  detailLang?: string;
}) {
  const t = useT();
  if (checks.length === 0) return <p className="muted">{t('checks.none')}</p>;
  const title = caption ?? t('checks.caption');
  const name = label ?? ((n: string) => checkLabel(t, n as RestoreCheck['name']));
  return (
    <TableWrap label={title}>
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('checks.col.check')}</th>
            <th scope="col">{t('checks.col.result')}</th>
            <th scope="col">{t('checks.col.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.name} data-testid={`${rowTestId}-${c.name}`} data-ok={String(c.ok)}>
              <th scope="row">{name(c.name)}</th>
              <td>
                <StatusBadge tone={c.ok ? 'ok' : 'danger'}>
                  {c.ok ? t('checks.pass') : t('checks.fail')}
                </StatusBadge>
              </td>
              <td className="checks__detail" lang={detailLang}>
                {c.detail}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
