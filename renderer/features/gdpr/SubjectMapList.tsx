import type { GdprMapResult } from '../../../shared/contract/gdpr';
import type { MapLink } from '../../../shared/gdpr/subject-map-schema';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { TableWrap } from '../../components/TableWrap';

/** A followed link as the DPO reads it: `orders.customer_id → customer.customer_id`. */
function linkText(link: MapLink): string {
  return `${link.childTable}.${link.childColumns.join(', ')} → ${link.parentTable}.${link.parentColumns.join(', ')}`;
}

/** The subject map as a readable list: each table, how its rows are reached, what erasure does. */
export function SubjectMapList({ result }: { result: GdprMapResult }) {
  const t = useT();
  const { map, drift } = result;
  return (
    <div className="card" data-testid="gdpr-map">
      <h2>{t('gdpr.map.title', { database: map.database })}</h2>
      {drift.length > 0 ? (
        <Alert tone="warning" title={t('gdpr.map.drift', { changes: drift.join('; ') })} />
      ) : null}
      <TableWrap label={t('gdpr.map.title', { database: map.database })}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('gdpr.map.table')}</th>
              <th scope="col">{t('gdpr.map.paths')}</th>
              <th scope="col">{t('gdpr.map.action')}</th>
              <th scope="col">{t('gdpr.map.personal')}</th>
              <th scope="col">{t('gdpr.map.files')}</th>
            </tr>
          </thead>
          <tbody>
            {map.tables.map((table) => {
              const name = `${table.schema}.${table.table}`;
              const isRoot = table.schema === map.root.schema && table.table === map.root.table;
              const paths = map.links.filter(
                (l) => l.followed && l.childSchema === table.schema && l.childTable === table.table,
              );
              return (
                <tr key={name} data-testid="gdpr-map-table" data-table={name}>
                  <th scope="row">{name}</th>
                  <td>
                    {isRoot
                      ? `${map.root.table}.${map.root.column} (${t('gdpr.map.root')})`
                      : paths.map(linkText).join('; ')}
                  </td>
                  <td data-action={table.action}>{t(`gdpr.map.action.${table.action}`)}</td>
                  <td>{table.personalColumns.join(', ') || t('common.none')}</td>
                  <td>{table.fileColumns.join(', ') || t('common.none')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}
