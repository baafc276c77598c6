import type { Server } from '../../../shared/contract/domain';
import { useT, type Translate } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useServers } from '../../stores';
import { ServerStatusBadge } from './ServerStatusBadge';

function clusterSummary(server: Server, t: Translate): string {
  if (!server.detection) return t('servers.clusters.notDetected');
  const { clusters } = server.detection;
  if (clusters.length === 0) return t('servers.clusters.none');
  const versions = [...new Set(clusters.map((c) => c.version))].join(', ');
  return t('servers.clusters', { count: clusters.length, versions });
}

/** All servers with their status and what PostgreSQL was found on them. */
export function ServerList() {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const servers = useServers((s) => s.servers);
  const loaded = useServers((s) => s.loaded);
  const error = useServers((s) => s.error);

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('servers.title')}
        </h1>
        <Button variant="primary" onClick={() => navigate({ name: 'add' })}>
          {t('servers.add')}
        </Button>
      </div>
      {error ? <ErrorAlert error={error} /> : null}
      {!loaded && !error ? <p className="muted">{t('common.loading')}</p> : null}
      {loaded && servers.length === 0 ? (
        <>
          <p className="empty">{t('servers.empty')}</p>
          {/* A fresh console after a disaster starts from the recovery kit (issue 19). */}
          <p>
            <Button onClick={() => navigate({ name: 'rebuild' })} data-testid="start-rebuild">
              {t('rebuild.fromKit')}
            </Button>
          </p>
        </>
      ) : null}
      {servers.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('servers.col.name')}</th>
              <th scope="col">{t('servers.col.host')}</th>
              <th scope="col">{t('servers.col.status')}</th>
              <th scope="col">{t('servers.col.clusters')}</th>
            </tr>
          </thead>
          <tbody>
            {servers.map((server) => (
              <tr key={server.id}>
                <th scope="row">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => navigate({ name: 'server', id: server.id })}
                  >
                    {server.name}
                  </button>
                </th>
                <td className="mono">
                  {server.user}@{server.host}:{server.port}
                </td>
                <td>
                  <ServerStatusBadge status={server.status} />
                </td>
                <td>{clusterSummary(server, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
