import type { Detection } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBytes, formatDateTime, formatNumber } from '../../lib/format';

/**
 * What connecting found: OS, sudo, Node, PostgreSQL clusters (with the one the agent protects
 * marked, so an unprotected cluster stands out) and free disk space.
 */
export function DetectionView({
  detection,
  protectedDataDirectory,
}: {
  detection: Detection;
  protectedDataDirectory: string | null;
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
        <div className="table-wrap">
          <table className="table" data-testid="clusters">
            <thead>
              <tr>
                <th scope="col">{t('detail.col.version')}</th>
                <th scope="col">{t('detail.col.dataDirectory')}</th>
                <th scope="col">{t('detail.col.port')}</th>
                <th scope="col">{t('detail.col.checksums')}</th>
                <th scope="col">{t('detail.col.running')}</th>
                <th scope="col">{t('detail.col.protection')}</th>
              </tr>
            </thead>
            <tbody>
              {detection.clusters.map((c) => (
                <tr
                  key={`${c.dataDirectory}:${c.port}`}
                  data-protected={c.dataDirectory === protectedDataDirectory}
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
                    {c.dataDirectory === protectedDataDirectory ? (
                      <StatusBadge tone="ok">{t('detail.protection.yes')}</StatusBadge>
                    ) : (
                      <StatusBadge tone="warn">{t('detail.protection.no')}</StatusBadge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{t('detail.disks')}</h3>
      {detection.disks.length > 0 ? (
        <div className="table-wrap">
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
        </div>
      ) : (
        <p className="muted">{t('common.none')}</p>
      )}
    </>
  );
}
