import { useEffect, useState } from 'react';
import { DrillSettings } from '../../../shared/agent/drill';
import { useI18n, useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ActorName } from '../accountability/ActorName';
import { AlertTestCard } from './AlertTestCard';
import { call, toApiError, type ApiError } from '../../lib/api';
import { formatNumber, type Lang } from '../../lib/format';

type Folders = { reports: string; exports: string };

/** The defaults a new server's agent starts with: the drill section of a fresh agent config. */
const DRILL_DEFAULTS = DrillSettings.parse({});

const LANGS: readonly Lang[] = ['de', 'en'];

/**
 * What the console keeps for itself (issue 16 §5): the language, the defaults a new server
 * starts with, and where reports are kept and exported. Each server's own settings (alerts,
 * schedules) live on that server's pages; this page says where.
 */
export function SettingsPage() {
  const t = useT();
  const lang = useLang();
  const setLang = useI18n((s) => s.setLang);
  const navigate = useRoute((s) => s.navigate);
  const [folders, setFolders] = useState<Folders | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    call('app.info', {})
      .then((info) => setFolders(info.folders ?? null))
      .catch((err: unknown) => setError(toApiError(err)));
  }, []);
  const days = Math.round(DRILL_DEFAULTS.intervalSeconds / 86_400);

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('settings.title')}
        </h1>
      </div>

      <div className="card" data-testid="settings-language">
        <h2>{t('settings.language.title')}</h2>
        <fieldset className="fieldset">
          <legend className="visually-hidden">{t('settings.language.title')}</legend>
          {LANGS.map((l) => (
            <label key={l} className="choice">
              <input
                type="radio"
                name="settings-language"
                value={l}
                checked={lang === l}
                onChange={() => setLang(l)}
              />{' '}
              <span lang={l}>{t(`lang.${l}`)}</span>
            </label>
          ))}
        </fieldset>
        <p className="muted">{t('settings.language.remembered')}</p>
      </div>

      <div className="card" data-testid="settings-actor">
        <h2>{t('settings.actor.title')}</h2>
        <ActorName />
      </div>

      <div className="card" data-testid="settings-defaults">
        <h2>{t('settings.defaults.title')}</h2>
        <p className="muted">{t('settings.defaults.intro')}</p>
        <dl className="facts">
          <dt>{t('settings.defaults.drillInterval')}</dt>
          <dd data-testid="settings-drill-interval">
            {t('settings.defaults.drillIntervalValue', { days })}
          </dd>
          <dt>{t('settings.defaults.scratchRoot')}</dt>
          <dd className="mono">{DRILL_DEFAULTS.scratchRoot}</dd>
          <dt>{t('settings.defaults.resticRead')}</dt>
          <dd>
            {t('settings.defaults.resticReadValue', {
              percent: formatNumber(DRILL_DEFAULTS.resticReadPercent, lang),
            })}
          </dd>
          <dt>{t('settings.defaults.heapAllIndexed')}</dt>
          <dd>{DRILL_DEFAULTS.amcheckHeapAllIndexed ? t('settings.on') : t('settings.off')}</dd>
          <dt>{t('settings.defaults.alerts')}</dt>
          <dd>{t('settings.defaults.alertsWhere')}</dd>
        </dl>
      </div>

      <AlertTestCard />

      <div className="card" data-testid="settings-reports">
        <h2>{t('settings.reports.title')}</h2>
        {error ? <ErrorAlert error={error} /> : null}
        <dl className="facts">
          <dt>{t('settings.reports.archive')}</dt>
          <dd className="mono" data-testid="settings-reports-dir">
            {folders ? folders.reports : t('settings.reports.unknown')}
          </dd>
          <dt>{t('settings.reports.exports')}</dt>
          <dd className="mono" data-testid="settings-exports-dir">
            {folders ? folders.exports : t('settings.reports.unknown')}
          </dd>
        </dl>
        <div className="actions">
          <Button onClick={() => navigate({ name: 'verify' })}>
            {t('settings.reports.verify')}
          </Button>
        </div>
      </div>
    </section>
  );
}
