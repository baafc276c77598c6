import { useT } from '../../app/i18n';
import type { MessageKey } from '../../app/i18n';

const ITEMS: readonly { swatch: string; key: MessageKey }[] = [
  { swatch: 'coverage', key: 'legend.coverage' },
  { swatch: 'gap', key: 'legend.gap' },
  { swatch: 'lag', key: 'legend.lag' },
  { swatch: 'segment', key: 'legend.segments' },
  { swatch: 'daily', key: 'legend.daily' },
  { swatch: 'weekly', key: 'legend.weekly' },
  { swatch: 'monthly', key: 'legend.monthly' },
  { swatch: 'drill-failed-point', key: 'legend.drillFailedPoint' },
  { swatch: 'drill', key: 'legend.drill' },
  { swatch: 'erasure', key: 'legend.erasure' },
  { swatch: 'picked', key: 'legend.picked' },
];

/** What the colours and shapes on the canvas mean. */
export function TimelineLegend() {
  const t = useT();
  return (
    <ul className="timeline-legend" aria-label={t('legend.title')}>
      {ITEMS.map((item) => (
        <li key={item.swatch} className="timeline-legend__item">
          <span
            className={`timeline-legend__swatch timeline-legend__swatch--${item.swatch}`}
            aria-hidden="true"
          />
          {t(item.key)}
        </li>
      ))}
    </ul>
  );
}
