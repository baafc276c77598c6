import type { Catalog, RecoveryPointDrill } from '../../../shared/contract/recovery';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { formatBytes, formatDuration, formatNumber } from '../../lib/format';
import { formatMoment } from '../../lib/zoned-time';
import { momentWithUtc } from './moment-text';
import type { CatalogIndex } from './timeline-index';
import { TableWrap } from '../../components/TableWrap';

/** Where the catalog came from, how far back it reaches, how much WAL, and the capture lag. */
export function CatalogSummary({ catalog, zone }: { catalog: Catalog; zone: string }) {
  const t = useT();
  const lang = useLang();
  return (
    <dl
      className="facts catalog-summary"
      data-testid="catalog-summary"
      data-source={catalog.source}
    >
      <dt>{t('catalog.restorable')}</dt>
      <dd>
        {catalog.firstRestorable && catalog.lastRestorable
          ? t('catalog.range', {
              from: momentWithUtc(catalog.firstRestorable, lang, zone),
              to: momentWithUtc(catalog.lastRestorable, lang, zone),
            })
          : t('catalog.nothingRestorable')}
      </dd>
      <dt>{t('catalog.wal')}</dt>
      <dd>
        {t('catalog.walValue', {
          segments: formatNumber(catalog.walSegments, lang),
          bytes: formatBytes(catalog.walBytes, lang),
        })}
      </dd>
      <dt>{t('catalog.lag')}</dt>
      <dd data-testid="catalog-lag">
        {catalog.captureLagSeconds === null
          ? t('common.unknown')
          : formatDuration(catalog.captureLagSeconds, lang)}
      </dd>
      <dt>{t('catalog.source')}</dt>
      <dd>
        {t(`catalog.source.${catalog.source}`)} ·{' '}
        {t('catalog.builtAt', { time: formatMoment(catalog.builtAt, lang, zone) })}
      </dd>
    </dl>
  );
}

/** Every gap in words: the canvas shows them in red, this list says when and why. */
export function GapList({ catalog, zone }: { catalog: Catalog; zone: string }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="card" data-testid="gap-list">
      <h2>{t('gaps.title')}</h2>
      {catalog.walSegments === 0 ? (
        // No WAL at all is not "unbroken WAL": nothing can be restored to the second yet.
        <p data-testid="gaps-no-wal">{t('gaps.noWal')}</p>
      ) : catalog.gaps.length === 0 ? (
        <p className="muted">{t('gaps.none')}</p>
      ) : (
        <ul className="plain-list gap-list">
          {catalog.gaps.map((gap) => (
            <li key={`${gap.timeline}-${gap.missingSegment}`} className="gap-list__item">
              <strong>
                {t('gaps.span', {
                  from: formatMoment(gap.from, lang, zone),
                  to: gap.to ? formatMoment(gap.to, lang, zone) : t('gaps.untilNow'),
                })}
              </strong>
              <span>{gap.cause}</span>
              <span data-testid="gap-restorable-again">
                {gap.to
                  ? t('gaps.restorableAgain', { time: momentWithUtc(gap.to, lang, zone) })
                  : t('gaps.noPointYet')}
              </span>
              <span className="muted">
                {t('gaps.missing', {
                  segment: gap.missingSegment,
                  count: formatNumber(gap.missingCount, lang),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const SIGNATURE_TONES: Record<string, Tone> = {
  valid: 'ok',
  invalid: 'danger',
  missing: 'warn',
  'no-pinned-key': 'neutral',
};

const DRILL_TONES: Record<RecoveryPointDrill['mark'], Tone> = {
  proven: 'ok',
  failed: 'danger',
  'never-drilled': 'neutral',
};

/** What drills say about a recovery point: the mark, and for a failed one which checks and why. */
function DrillMark({ drill }: { drill: RecoveryPointDrill }) {
  const t = useT();
  return (
    <>
      <StatusBadge tone={DRILL_TONES[drill.mark]}>{t(`points.drill.${drill.mark}`)}</StatusBadge>
      {drill.drillId ? <div className="muted mono small">{drill.drillId}</div> : null}
      {drill.mark === 'failed' ? (
        <ul className="plain-list small">
          {drill.failedChecks.map((c) => (
            <li key={c.id}>
              <span className="mono">{c.id}</span>: {c.detail}
            </li>
          ))}
        </ul>
      ) : null}
      {drill.mark !== 'never-drilled' && !drill.verified ? (
        <div className="muted small">{t('points.drill.unverified')}</div>
      ) : null}
      {drill.unverifiedPasses > 0 && drill.mark !== 'proven' ? (
        <div className="muted small">
          {t('points.drill.unverifiedPasses', { count: drill.unverifiedPasses })}
        </div>
      ) : null}
    </>
  );
}

/** Recovery points (base backups) newest first, each pickable on the timeline. */
export function RecoveryPointList({
  index,
  zone,
  onPick,
}: {
  index: CatalogIndex;
  zone: string;
  onPick(time: number): void;
}) {
  const t = useT();
  const lang = useLang();
  const points = [...index.backups].reverse();
  return (
    <div className="card" data-testid="recovery-points">
      <h2>{t('points.title')}</h2>
      {points.length === 0 ? (
        <p className="muted">{t('points.none')}</p>
      ) : (
        <TableWrap label={t('points.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('points.col.time')}</th>
                <th scope="col">{t('points.col.tier')}</th>
                <th scope="col">{t('points.col.type')}</th>
                <th scope="col">{t('points.col.size')}</th>
                <th scope="col">{t('points.col.manifest')}</th>
                <th scope="col">{t('points.col.drill')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('points.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map(({ t: at, item }) => (
                <tr key={item.label} data-label={item.label}>
                  <td>
                    {formatMoment(at, lang, zone)}
                    <div className="muted mono small">{item.label}</div>
                    {item.manifest?.note ? (
                      <div className="small" data-testid="point-note-text">
                        {t('point.withNote', { note: item.manifest.note })}
                      </div>
                    ) : null}
                  </td>
                  <td>{item.tier ? t(`tier.${item.tier}`) : t('common.none')}</td>
                  <td>{t(`backupType.${item.type}`)}</td>
                  <td>
                    {item.sizeBytes === null ? t('common.none') : formatBytes(item.sizeBytes, lang)}
                  </td>
                  <td>
                    {item.manifest ? (
                      <StatusBadge tone={SIGNATURE_TONES[item.manifest.signature] ?? 'neutral'}>
                        {t(`points.signature.${item.manifest.signature}`)}
                      </StatusBadge>
                    ) : (
                      <span className="muted">{t('points.noManifest')}</span>
                    )}
                  </td>
                  <td data-testid="point-drill" data-mark={item.drill?.mark ?? 'unknown'}>
                    {item.drill ? <DrillMark drill={item.drill} /> : t('common.unknown')}
                  </td>
                  <td>
                    <Button
                      variant="ghost"
                      onClick={() => onPick(at)}
                      aria-label={t('points.pickNamed', { label: item.label })}
                    >
                      {t('points.pick')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

/** Drills and GDPR erasures on the timeline, in words. */
export function EventList({ catalog, zone }: { catalog: Catalog; zone: string }) {
  const t = useT();
  const lang = useLang();
  if (catalog.events.length === 0) return null;
  const events = [...catalog.events].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <div className="card" data-testid="event-list">
      <h2>{t('events.title')}</h2>
      <ul className="plain-list">
        {events.map((e, i) => (
          <li key={`${e.at}-${i}`}>
            <StatusBadge
              tone={
                e.kind === 'erasure' ? 'info' : e.ok ? 'ok' : e.ok === false ? 'danger' : 'neutral'
              }
            >
              {t(`events.kind.${e.kind}`)}
            </StatusBadge>{' '}
            {e.title} · <span className="muted">{formatMoment(e.at, lang, zone)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
