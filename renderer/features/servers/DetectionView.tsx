import type { Detection } from '../../../shared/contract/domain';
import { useLang, useT, type MessageKey } from '../../app/i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { TableWrap } from '../../components/TableWrap';
import { formatBytes, formatDateTime, formatNumber } from '../../lib/format';
import { DatabaseList } from './DatabaseList';
import { clusterProtection, type ClusterProtection } from '../dashboard/kit-gate';

const PROTECTION_BADGES: Record<
  ClusterProtection,
  { tone: 'ok' | 'warn' | 'neutral'; key: MessageKey }
> = {
  protected: { tone: 'ok', key: 'detail.protection.yes' },
  kitUnconfirmed: { tone: 'warn', key: 'detail.protection.kitUnconfirmed' },
  unprotected: { tone: 'warn', key: 'detail.protection.no' },
  loading: { tone: 'neutral', key: 'common.unknown' },
};

/**
 * What connecting found: OS, sudo, Node, PostgreSQL clusters (with the one the agent protects
 * marked, so an unprotected cluster stands out; amber until its recovery kit is confirmed) and
 * free disk space.
 */
export function DetectionView({
  detection,
  protectedDataDirectory,
  kitAcknowledgedAt,
}: {
  detection: Detection;
  protectedDataDirectory: string | null;
  /** The protected cluster's kit confirmation; undefined while it loads. */
  kitAcknowledgedAt: string | null | undefined;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <>
      <p className="muted">
        {t('detail.detectedAt', { date: formatDateTime(detection.detectedAt, lang) })}
      </p>
      <dl className="facts">
        <dt>{t('detail.os')}</dt>
        <dd data-testid="detect-os">
          {detection.os.pretty || `${detection.os.name} ${detection.os.version}`}
        </dd>
        <dt>{t('detail.kernel')}</dt>
        <dd className="mono">
          {detection.kernel} / {detection.arch}
        </dd>
        <dt>{t('detail.cpus')}</dt>
        <dd>{formatNumber(detection.cpuCount, lang)}</dd>
        <dt>{t('detail.sudo')}</dt>
        <dd>{t(`sudo.${detection.sudo}`)}</dd>
        <dt>{t('detail.node')}</dt>
        <dd className="mono">{detection.nodeVersion ?? t('detail.nodeNone')}</dd>
      </dl>

      <h3>{t('detail.clusters')}</h3>
      {detection.clusters.length === 0 ? (
        <p className="muted">{t('detail.clustersNone')}</p>
      ) : (
        <TableWrap label={t('detail.clusters')}>
          <table className="table" data-testid="clusters">
            <thead>
              <tr>
                <th scope="col">{t('detail.col.version')}</th>
                <th scope="col">{t('detail.col.dataDirectory')}</th>
                <th scope="col">{t('detail.col.port')}</th>
                <th scope="col">{t('detail.col.checksums')}</th>
                <th scope="col">{t('detail.col.running')}</th>
                <th scope="col">{t('detail.col.databases')}</th>
                <th scope="col">{t('detail.col.protection')}</th>
              </tr>
            </thead>
            <tbody>
              {detection.clusters.map((c) => {
                const protection = clusterProtection(
                  c.dataDirectory,
                  protectedDataDirectory,
                  kitAcknowledgedAt,
                );
                const badge = PROTECTION_BADGES[protection];
                return (
                  <tr
                    key={`${c.dataDirectory}:${c.port}`}
                    data-protected={protection === 'protected'}
                    data-protection={protection}
                  >
                    <td>PostgreSQL {c.version}</td>
                    <td className="mono">{c.dataDirectory}</td>
                    <td className="mono">{c.port}</td>
                    <td>
                      {c.dataChecksums === null ? (
                        <StatusBadge tone="neutral">{t('common.unknown')}</StatusBadge>
                      ) : c.dataChecksums ? (
                        <StatusBadge tone="ok">{t('detail.checksums.on')}</StatusBadge>
                      ) : (
                        <StatusBadge tone="warn">{t('detail.checksums.off')}</StatusBadge>
                      )}
                    </td>
                    <td>
                      {c.running ? (
                        <StatusBadge tone="ok">{t('detail.running.yes')}</StatusBadge>
                      ) : (
                        <StatusBadge tone="neutral">{t('detail.running.no')}</StatusBadge>
                      )}
                    </td>
                    <td>
                      <DatabaseList cluster={c} />
                    </td>
                    <td className="protection-cell">
                      <StatusBadge tone={badge.tone}>{t(badge.key)}</StatusBadge>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}

      <h3>{t('detail.disks')}</h3>
      {detection.disks.length > 0 ? (
        <TableWrap label={t('detail.disks')}>
          <table className="table" data-testid="disks">
            <thead>
              <tr>
                <th scope="col">{t('detail.col.mount')}</th>
                <th scope="col">{t('detail.col.path')}</th>
                <th scope="col" className="num">
                  {t('detail.col.free')}
                </th>
                <th scope="col" className="num">
                  {t('detail.col.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {detection.disks.map((d) => (
                <tr key={`${d.mount}:${d.path}`}>
                  <td className="mono">{d.mount}</td>
                  <td className="mono">{d.path}</td>
                  <td className="num">{formatBytes(d.freeBytes, lang)}</td>
                  <td className="num">{formatBytes(d.totalBytes, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p className="muted">{t('common.none')}</p>
      )}
    </>
  );
}
