import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { PreviewState } from '../../stores/restore';
import { PlanDetails } from '../restore-wizard/PlanDetails';
import { coverageText, momentWithUtc } from './moment-text';
import { MomentField } from './MomentField';
import { classify, type CatalogIndex } from './timeline-index';
import { ErrorLine } from '../../components/ErrorLine';

/**
 * The picked moment: typed to the second (admin's zone, UTC beside it), what the catalog says
 * about it, and what restoring it means according to restore.plan — or why it cannot be.
 */
export function MomentPanel({
  index,
  now,
  zone,
  picked,
  preview,
  onPick,
  onRestore,
}: {
  index: CatalogIndex;
  now: number;
  zone: string;
  picked: number | null;
  preview: PreviewState;
  onPick(time: number): void;
  onRestore(): void;
}) {
  const t = useT();
  const lang = useLang();
  const current = preview.status !== 'idle' && preview.time === picked ? preview : null;
  const coverage = picked === null ? null : classify(index, picked, now);
  return (
    <div className="card moment" data-testid="moment-panel">
      <h2>{t('moment.title')}</h2>
      <MomentField
        label={t('moment.type')}
        value={picked}
        zone={zone}
        data-testid="moment-input"
        onChange={(time) => {
          if (time !== null) onPick(time);
        }}
      />
      {picked === null ? (
        <p className="muted">{t('moment.none')}</p>
      ) : (
        <>
          <p
            className="moment__picked"
            data-testid="moment-picked"
            data-time={new Date(picked).toISOString()}
          >
            <strong>{momentWithUtc(picked, lang, zone)}</strong>
          </p>
          {coverage ? (
            <p
              className={`moment__coverage moment__coverage--${coverage.kind}`}
              data-testid="moment-coverage"
              data-kind={coverage.kind}
            >
              {coverageText(t, coverage)}
            </p>
          ) : null}
        </>
      )}
      <div role="status" aria-live="polite" className="moment__status">
        {current?.status === 'planning' ? <p className="muted">{t('moment.planning')}</p> : null}
        {current?.status === 'refused' ? (
          <Alert tone="danger" title={t('moment.refused')} data-testid="moment-refused">
            <ErrorLine error={current.error} />
          </Alert>
        ) : null}
      </div>
      {current?.status === 'failed' ? <ErrorAlert error={current.error} /> : null}
      {current?.status === 'ready' ? (
        <>
          <h3>{t('moment.whatItMeans')}</h3>
          <PlanDetails plan={current.plan} zone={zone} />
        </>
      ) : null}
      <div className="actions">
        <Button
          variant="primary"
          disabled={picked === null || current?.status === 'refused'}
          onClick={onRestore}
          data-testid="restore-moment"
        >
          {t('moment.restore')}
        </Button>
      </div>
    </div>
  );
}
