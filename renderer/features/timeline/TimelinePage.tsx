import { useEffect, useMemo, useState } from 'react';
import { useLang, useT } from '../../app/i18n';
import { withWordedGaps } from '../../app/i18n/word-phrase';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { adminTimeZone } from '../../lib/zoned-time';
import { catalogStore, restoreStore, useCatalog, useRestore, useServers } from '../../stores';
import { ScratchList } from '../restore-wizard/ScratchList';
import { CatalogSummary, EventList, GapList, RecoveryPointList } from './CatalogLists';
import { MomentPanel } from './MomentPanel';
import { PointCard } from './PointCard';
import { Timeline } from './Timeline';
import { TimelineLegend } from './TimelineLegend';
import { buildIndex } from './timeline-index';

/** How often an open timeline asks for the catalog again (main updates it incrementally). */
const CATALOG_REFRESH_MS = 60_000;
/** How often "now" and the capture lag band move. */
const NOW_TICK_MS = 5_000;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const IDLE = { status: 'idle' } as const;

/**
 * One server's recoverable moments: the timeline, the picked moment with what restoring it
 * means, the gaps and recovery points in words, and the scratch environments restored from it.
 */
export function TimelinePage({ id, at }: { id: string; at?: string | undefined }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const entry = useCatalog((s) => s.catalogs[id]);
  const preview = useRestore((s) => s.previews[id]) ?? IDLE;
  const zone = useMemo(() => adminTimeZone(), []);
  const now = useNow(NOW_TICK_MS);
  const lang = useLang();
  // The gaps' causes in the language once, for the timeline, the gap list and the panel.
  const raw = entry?.catalog ?? null;
  const catalog = useMemo(() => (raw ? withWordedGaps(t, lang, raw) : null), [raw, t, lang]);
  const index = useMemo(() => (catalog ? buildIndex(catalog) : null), [catalog]);
  const picked = preview.status === 'idle' ? null : preview.time;

  useEffect(() => {
    void catalogStore.getState().load(id);
    const timer = setInterval(() => void catalogStore.getState().load(id), CATALOG_REFRESH_MS);
    return () => clearInterval(timer);
  }, [id]);

  // The picked moment lives in the address (?at=…), so a reload or a shared link shows it again;
  // picking replaces the history entry rather than adding one per click.
  const atMs = at === undefined ? null : Date.parse(at);
  useEffect(() => {
    if (atMs === null) return;
    const shown = restoreStore.getState().previews[id];
    if (shown?.status !== 'idle' && shown?.time === atMs) return;
    restoreStore.getState().pick(id, atMs);
  }, [id, atMs]);
  // Coming back to a timeline whose moment is still picked: its address says which one.
  useEffect(() => {
    if (atMs === null && picked !== null) {
      navigate({ name: 'timeline', id, at: new Date(picked).toISOString() }, { replace: true });
    }
  }, [id, atMs, picked, navigate]);
  const pick = (time: number) => {
    restoreStore.getState().pick(id, time);
    navigate({ name: 'timeline', id, at: new Date(time).toISOString() }, { replace: true });
  };
  function openWizard() {
    if (picked === null) return;
    restoreStore.getState().open(id, { target: { kind: 'time', time: picked } });
    navigate({ name: 'restore', id });
  }

  return (
    <section aria-labelledby="page-title" className="timeline-page">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('timeline.title', { name: server?.name ?? '' })}
        </h1>
        <div className="page-head__actions">
          <Button
            busy={entry?.loading}
            onClick={() => void catalogStore.getState().load(id, { refresh: true })}
          >
            {t('timeline.refresh')}
          </Button>
          <Button
            onClick={() => {
              restoreStore.getState().open(id);
              navigate({ name: 'restore', id });
            }}
          >
            {t('timeline.toWizard')}
          </Button>
          <Button onClick={() => navigate({ name: 'dashboard', id })}>{t('backups.status')}</Button>
        </div>
      </div>

      {entry?.error ? <ErrorAlert error={entry.error} data-testid="catalog-error" /> : null}
      {!catalog && !entry?.error ? <p className="muted">{t('catalog.loading')}</p> : null}
      {catalog?.source === 'bucket' ? <Alert tone="info">{t('catalog.bucketOnly')}</Alert> : null}

      {catalog && index ? (
        <>
          <div className="card timeline-card">
            <CatalogSummary catalog={catalog} zone={zone} />
            <Timeline
              index={index}
              now={now}
              zone={zone}
              picked={picked}
              onPick={pick}
              onOpenWizard={openWizard}
            />
            <TimelineLegend />
          </div>
          <PointCard serverId={id} catalog={catalog} zone={zone} />
          <MomentPanel
            index={index}
            now={now}
            zone={zone}
            picked={picked}
            preview={preview}
            onPick={pick}
            onRestore={openWizard}
          />
          <GapList catalog={catalog} zone={zone} />
          <RecoveryPointList index={index} zone={zone} onPick={pick} />
          <EventList catalog={catalog} zone={zone} />
        </>
      ) : null}

      <ScratchList serverId={id} />
    </section>
  );
}
