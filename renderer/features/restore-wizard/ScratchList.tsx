import { useEffect, useMemo, useState } from 'react';
import type { ScratchEnvironment } from '../../../shared/contract/recovery';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { formatBytes, formatDuration } from '../../lib/format';
import { adminTimeZone, formatMoment } from '../../lib/zoned-time';
import { scratchStore, useScratch, useServers } from '../../stores';
import { DropScratchDialog } from './DropScratchDialog';
import { TableWrap } from '../../components/TableWrap';

const STATE_TONES: Record<ScratchEnvironment['state'], Tone> = {
  running: 'ok',
  removed: 'neutral',
  failed: 'danger',
};

/**
 * Scratch environments with age, size, expiry and state, each droppable after a
 * confirmation. With `serverId`, only those restored from that server.
 */
export function ScratchList({ serverId }: { serverId?: string }) {
  const t = useT();
  const lang = useLang();
  const zone = useMemo(() => adminTimeZone(), []);
  const list = useScratch((s) => s.list);
  const loaded = useScratch((s) => s.loaded);
  const loading = useScratch((s) => s.loading);
  const error = useScratch((s) => s.error);
  const servers = useServers((s) => s.servers);
  const [dropping, setDropping] = useState<ScratchEnvironment | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    void scratchStore.getState().load();
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const shown = list
    .filter((s) => !serverId || s.sourceServerId === serverId)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const nameOf = (id: string) => servers.find((s) => s.id === id)?.name ?? id.slice(0, 8);

  return (
    <div className="card" data-testid="scratch-list">
      <div className="card__head">
        <h2>{t('scratch.title')}</h2>
        <Button busy={loading} onClick={() => void scratchStore.getState().load()}>
          {t('scratch.reload')}
        </Button>
      </div>
      <p className="muted">{t('scratch.intro')}</p>
      {error ? <ErrorAlert error={error} data-testid="scratch-error" /> : null}
      {!loaded && !error ? <p className="muted">{t('common.loading')}</p> : null}
      {loaded && shown.length === 0 ? <p className="empty">{t('scratch.empty')}</p> : null}
      {shown.length > 0 ? (
        <TableWrap label={t('scratch.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('scratch.col.restored')}</th>
                {serverId ? null : <th scope="col">{t('scratch.col.source')}</th>}
                <th scope="col">{t('scratch.col.where')}</th>
                <th scope="col">{t('scratch.col.age')}</th>
                <th scope="col">{t('scratch.col.size')}</th>
                <th scope="col">{t('scratch.col.expires')}</th>
                <th scope="col">{t('scratch.col.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('points.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.id} data-testid="scratch-row" data-state={s.state} data-id={s.id}>
                  <td>
                    {s.targetTime ? formatMoment(s.targetTime, lang, zone) : t('common.unknown')}
                  </td>
                  {serverId ? null : <td>{nameOf(s.sourceServerId)}</td>}
                  <td className="mono">
                    {nameOf(s.hostServerId)} · {s.host}:{s.port}
                    <div className="muted small">{s.dataDirectory}</div>
                  </td>
                  <td>
                    {t('scratch.age', {
                      duration: formatDuration(
                        Math.max(0, (now - Date.parse(s.createdAt)) / 1000),
                        lang,
                      ),
                    })}
                  </td>
                  <td>
                    {s.sizeBytes === null ? t('common.none') : formatBytes(s.sizeBytes, lang)}
                  </td>
                  <td>
                    {s.expiresAt
                      ? formatMoment(s.expiresAt, lang, zone)
                      : t('scratch.keptUntilDropped')}
                  </td>
                  <td>
                    <StatusBadge tone={STATE_TONES[s.state]}>
                      {t(`scratch.state.${s.state}`)}
                    </StatusBadge>
                  </td>
                  <td>
                    {s.state !== 'removed' ? (
                      <Button
                        variant="danger"
                        onClick={() => setDropping(s)}
                        aria-label={t('scratch.dropNamed', { host: s.host, port: s.port })}
                      >
                        {t('scratch.drop')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {dropping ? (
        <DropScratchDialog
          scratch={dropping}
          drop={async () => {
            await scratchStore.getState().drop(dropping.id);
          }}
          onCancel={() => setDropping(null)}
          onDone={() => setDropping(null)}
        />
      ) : null}
    </div>
  );
}

/** All scratch environments, from every server. */
export function ScratchPage() {
  const t = useT();
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('scratch.pageTitle')}
        </h1>
      </div>
      <ScratchList />
    </section>
  );
}
