import type { PgCluster } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { formatBytes } from '../../lib/format';

/**
 * A cluster's databases and their sizes as detection found them on connect, largest first; says
 * so when they could not be listed rather than showing none.
 */
export function DatabaseList({ cluster }: { cluster: PgCluster }) {
  const t = useT();
  const lang = useLang();
  const databases = cluster.databases;
  if (!databases) {
    return <span className="muted small">{t('databases.unknown')}</span>;
  }
  if (databases.length === 0) return <span className="muted small">{t('databases.none')}</span>;
  const list = databases
    .map((d) => t('databases.item', { name: d.name, size: formatBytes(d.bytes, lang) }))
    .join(', ');
  return (
    <span className="small" data-testid="cluster-databases">
      {t('databases.list', { count: databases.length, list })}
    </span>
  );
}
