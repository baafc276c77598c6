import type { DrillReportEntry } from '../../../shared/contract/reports';
import { useLang, useT } from '../../app/i18n';
import { formatDuration } from '../../lib/format';
import { trendPoints, type TrendPoint } from '../../stores/drills-model';
import { sparkline } from './sparkline';

const WIDTH = 240;
const HEIGHT = 48;

function Series({
  label,
  points,
  pick,
  testId,
}: {
  label: string;
  points: readonly TrendPoint[];
  pick(p: TrendPoint): number | null;
  testId: string;
}) {
  const t = useT();
  const lang = useLang();
  const values = points.map(pick);
  const line = sparkline(values, WIDTH, HEIGHT);
  const shown = values.filter((v): v is number => v !== null);
  const latest = values[values.length - 1];
  const text = (v: number | null) => (v === null ? t('common.none') : formatDuration(v, lang));
  // The picture is for the eye; screen readers get the same numbers as text.
  const summary = t('drills.trend.summary', {
    label,
    count: points.length,
    values: values.map(text).join(', '),
  });
  return (
    <figure className="trend" data-testid={testId}>
      <figcaption className="trend__label">
        <span>{label}</span>
        <span className="trend__latest">
          {t('drills.trend.latest', { value: text(latest ?? null) })}
        </span>
      </figcaption>
      <svg
        className="trend__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={summary}
      >
        <line className="trend__axis" x1="0" x2={WIDTH} y1={HEIGHT - 4} y2={HEIGHT - 4} />
        <path className="trend__line" d={line.path} />
        {line.points.map((p) => (
          <circle
            key={p.index}
            className={
              points[p.index]?.passed === false ? 'trend__dot trend__dot--failed' : 'trend__dot'
            }
            cx={p.x}
            cy={p.y}
            r="3"
          />
        ))}
      </svg>
      {shown.length > 0 ? (
        <p className="trend__range muted small">
          {t('drills.trend.range', {
            min: formatDuration(Math.min(...shown), lang),
            max: formatDuration(Math.max(...shown), lang),
          })}
        </p>
      ) : null}
    </figure>
  );
}

/** Inline sparklines of RTO and RPO over the newest drills, failed drills marked red. */
export function TrendChart({ reports }: { reports: readonly DrillReportEntry[] }) {
  const t = useT();
  const points = trendPoints(reports);
  return (
    <div className="card" data-testid="drill-trend">
      <h2>{t('drills.trend.title')}</h2>
      {points.length < 2 ? (
        <p className="muted">{t('drills.trend.few')}</p>
      ) : (
        <div className="trends">
          <Series
            label={t('drills.trend.rto')}
            points={points}
            pick={(p) => p.rto}
            testId="trend-rto"
          />
          <Series
            label={t('drills.trend.rpo')}
            points={points}
            pick={(p) => p.rpo}
            testId="trend-rpo"
          />
        </div>
      )}
    </div>
  );
}
