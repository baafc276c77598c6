import { useEffect } from 'react';
import { kitNotConfirmed } from '../../../shared/agent/recovery-kit-gate';
import type { HealthTile } from '../../../shared/contract/agent';
import { useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';
import { adminTimeZone } from '../../lib/zoned-time';
import { HEALTH_REFRESH_MS } from '../../stores/health';
import { healthStore, useHealth, useServers } from '../../stores';
import { NotSetUpPage } from '../servers/RequiresBackup';
import { backupSetUp } from '../servers/protection';
import { PointCard } from '../timeline/PointCard';
import { KitGate } from './KitGate';
import { tileReason, tileValue } from './kit-gate';
import { LevelBadge } from './LevelBadge';
import { sortTiles, sourceKey, tileTitleKey } from './levels';

function Tile({ tile }: { tile: HealthTile }) {
  const t = useT();
  const lang = useLang();
  return (
    <li
      className={`tile tile--${tile.level}`}
      data-testid={`tile-${tile.id}`}
      data-level={tile.level}
    >
      <h3 className="tile__title">{t(tileTitleKey(tile.id))}</h3>
      <p className="tile__value">{tileValue(tile, t, lang)}</p>
      <LevelBadge level={tile.level} />
      <p className="tile__reason">{tileReason(tile, t, lang)}</p>
    </li>
  );
}

/**
 * One server's backup health: capture lag, archive failures, recovery point age, the last
 * restore drill, repository, spool, disk and agent, each with value, level (in words and colour) and reason. Refreshed
 * every 15 s and after every finished job.
 */
export function ServerDashboard({ id }: { id: string }) {
  const t = useT();
  const lang = useLang();
  const navigate = useRoute((s) => s.navigate);
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const entry = useHealth((s) => s.servers[id]);

  useEffect(() => healthStore.getState().watch(id), [id]);

  const health = entry?.health ?? null;
  const name = server?.name ?? health?.serverName ?? '';
  // No backups set up: say so in red and offer the setup, not grey tiles of nothing.
  if (server && !backupSetUp(server)) {
    return (
      <NotSetUpPage
        id={id}
        name={name}
        title="dashboard.title"
        actions={['restore', 'drill', 'point']}
      />
    );
  }
  return (
    <section aria-labelledby="page-title" className="dashboard">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('dashboard.title', { name })}
        </h1>
        {health ? (
          <span data-testid="overall-level">
            <LevelBadge level={health.level} />
          </span>
        ) : null}
        <div className="page-head__actions">
          <Button busy={entry?.loading} onClick={() => void healthStore.getState().load(id)}>
            {t('dashboard.refresh')}
          </Button>
          <Button variant="primary" onClick={() => navigate({ name: 'timeline', id })}>
            {t('timeline.nav')}
          </Button>
          <Button onClick={() => navigate({ name: 'drills', id })}>{t('drills.nav')}</Button>
          <Button onClick={() => navigate({ name: 'install', id })}>{t('backups.setUp')}</Button>
          <Button onClick={() => navigate({ name: 'server', id })}>
            {t('dashboard.toServer')}
          </Button>
        </div>
      </div>

      {health ? (
        <p className="dashboard__source" data-testid="health-source" data-source={health.source}>
          {t(sourceKey(health.source))} ·{' '}
          {t('dashboard.checkedAt', { date: formatDateTime(health.checkedAt, lang) })} ·{' '}
          {t('dashboard.autoRefresh', { seconds: HEALTH_REFRESH_MS / 1000 })}
        </p>
      ) : null}
      {health?.source === 'bucket' ? (
        <Alert tone="warning">{t('dashboard.bucketOnly')}</Alert>
      ) : null}
      {entry?.error ? <ErrorAlert error={entry.error} data-testid="health-error" /> : null}
      {health && kitNotConfirmed(health.tiles) ? (
        <KitGate serverId={id} onConfirmed={() => void healthStore.getState().load(id)} />
      ) : null}
      {!health && !entry?.error ? <p className="muted">{t('common.loading')}</p> : null}

      {health ? (
        health.tiles.length === 0 ? (
          <p className="empty">{t('dashboard.noTiles')}</p>
        ) : (
          <ul className="tiles" aria-label={t('dashboard.tiles')} data-testid="tiles">
            {sortTiles(health.tiles).map((tile) => (
              <Tile key={tile.id} tile={tile} />
            ))}
          </ul>
        )
      ) : null}
      {server?.protectedDataDirectory ? (
        <PointCard
          serverId={id}
          catalog={null}
          zone={adminTimeZone()}
          filesMissing={health?.tiles.some((tile) => tile.action === 'healFiles') ?? false}
        />
      ) : null}
    </section>
  );
}
