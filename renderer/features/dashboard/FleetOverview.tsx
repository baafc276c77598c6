import { useEffect } from 'react';
import { useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';
import { healthStore, useHealth, useServers } from '../../stores';
import { NotProtectedBadge } from '../servers/NotProtectedBadge';
import { backupSetUp } from '../servers/protection';
import { tileReason } from './kit-gate';
import { LevelBadge } from './LevelBadge';
import { sourceKey, tileTitleKey, worstTile } from './levels';
import { TableWrap } from '../../components/TableWrap';

/** A server without backups: red "not protected", why, and the way to set them up. */
function NotProtectedRow({ id, name }: { id: string; name: string }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  return (
    <tr data-level="notProtected">
      <th scope="row">
        <button
          type="button"
          className="link-button"
          onClick={() => navigate({ name: 'server', id })}
        >
          {name}
        </button>
      </th>
      <td>
        <NotProtectedBadge />
      </td>
      <td>{t('protection.none.reason')}</td>
      <td colSpan={2}>
        <Button
          onClick={() => navigate({ name: 'install', id })}
          aria-label={t('fleet.setUpNamed', { name })}
        >
          {t('backups.setUp')}
        </Button>
      </td>
    </tr>
  );
}

/**
 * The start page once servers exist: every server worst-first with its level and the reason
 * of its worst tile; servers without backups yet are listed below with a way to set them up.
 */
export function FleetOverview() {
  const t = useT();
  const lang = useLang();
  const navigate = useRoute((s) => s.navigate);
  const fleet = useHealth((s) => s.fleet);
  const servers = useServers((s) => s.servers);

  useEffect(() => healthStore.getState().watchFleet(), []);

  const known = new Set(fleet.list.map((h) => h.serverId));
  const notSetUp = fleet.loaded ? servers.filter((s) => !known.has(s.id)) : [];

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('fleet.title')}
        </h1>
        <div className="page-head__actions">
          <Button onClick={() => navigate({ name: 'servers' })}>{t('fleet.allServers')}</Button>
        </div>
      </div>
      <p className="muted">
        {t('fleet.intro')}{' '}
        <span role="status" data-testid="fleet-updating">
          {fleet.loaded && fleet.loading ? t('fleet.updating') : ''}
        </span>
      </p>
      {fleet.error ? <ErrorAlert error={fleet.error} data-testid="fleet-error" /> : null}
      {!fleet.loaded && !fleet.error ? <p className="muted">{t('common.loading')}</p> : null}

      {fleet.list.length > 0 ? (
        <TableWrap label={t('fleet.title')}>
          <table className="table" data-testid="fleet">
            <thead>
              <tr>
                <th scope="col">{t('servers.col.name')}</th>
                <th scope="col">{t('fleet.col.level')}</th>
                <th scope="col">{t('fleet.col.reason')}</th>
                <th scope="col">{t('fleet.col.source')}</th>
                <th scope="col">{t('fleet.col.checked')}</th>
              </tr>
            </thead>
            <tbody>
              {fleet.list.map((h) => {
                const worst = worstTile(h.tiles);
                const server = servers.find((s) => s.id === h.serverId);
                const name = server?.name ?? h.serverName;
                if (server && !backupSetUp(server)) {
                  return <NotProtectedRow key={h.serverId} id={h.serverId} name={name} />;
                }
                return (
                  <tr key={h.serverId} data-level={h.level}>
                    <th scope="row">
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => navigate({ name: 'dashboard', id: h.serverId })}
                      >
                        {name}
                      </button>
                    </th>
                    <td>
                      <LevelBadge level={h.level} />
                    </td>
                    <td>
                      {worst && worst.level !== 'ok' ? (
                        <>
                          <strong>{t(tileTitleKey(worst.id))}</strong>: {tileReason(worst, t, lang)}
                        </>
                      ) : worst ? (
                        t('fleet.allOk')
                      ) : (
                        <span className="muted">{t('common.none')}</span>
                      )}
                    </td>
                    <td>{t(sourceKey(h.source))}</td>
                    <td>{formatDateTime(h.checkedAt, lang)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {fleet.loaded && fleet.list.length === 0 && notSetUp.length === 0 ? (
        <p className="empty">{t('fleet.empty')}</p>
      ) : null}

      {notSetUp.length > 0 ? (
        <>
          <h2 className="section-title">{t('fleet.notSetUp')}</h2>
          <ul className="plain-list not-set-up" data-testid="not-set-up">
            {notSetUp.map((s) => (
              <li key={s.id} className="not-set-up__item">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => navigate({ name: 'server', id: s.id })}
                >
                  {s.name}
                </button>
                <span className="mono muted">
                  {s.user}@{s.host}:{s.port}
                </span>
                <Button
                  onClick={() => navigate({ name: 'install', id: s.id })}
                  aria-label={t('fleet.setUpNamed', { name: s.name })}
                >
                  {t('backups.setUp')}
                </Button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
