import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getConnectionStatus, onConnectionStatus } from '../lib/api';
import { LANGS, type Lang } from '../lib/format';
import { AddServerForm } from '../features/servers/AddServerForm';
import { ServerDetail } from '../features/servers/ServerDetail';
import { ServerList } from '../features/servers/ServerList';
import { JobsPanel } from '../features/jobs/JobsPanel';
import { useI18n, useT } from './i18n';
import { useRoute, type Route } from './route';

function LanguageSwitch() {
  const t = useT();
  const lang = useI18n((s) => s.lang);
  const setLang = useI18n((s) => s.setLang);
  return (
    <div className="lang-switch">
      <label htmlFor="language">{t('app.language')}</label>
      <select id="language" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

function ConnectionBanner() {
  const t = useT();
  const status = useSyncExternalStore(onConnectionStatus, getConnectionStatus);
  if (status === 'open') return null;
  return (
    <div role="status" className="connection-banner">
      {status === 'connecting' ? t('app.connection.connecting') : t('app.connection.lost')}
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'servers':
      return <ServerList />;
    case 'add':
      return <AddServerForm />;
    case 'server':
      return <ServerDetail id={route.id} />;
  }
}

function routeKey(route: Route): string {
  return route.name === 'server' ? `server:${route.id}` : route.name;
}

/** Shell: header with navigation and language, the current page, and the live jobs panel. */
export function App() {
  const t = useT();
  const route = useRoute((s) => s.route);
  const navigate = useRoute((s) => s.navigate);
  const lang = useI18n((s) => s.lang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);

  // After navigating, move focus to the new page's heading so keyboard and screen reader users land there.
  const key = routeKey(route);
  const shownKey = useRef(key);
  useEffect(() => {
    if (shownKey.current === key) return;
    shownKey.current = key;
    document.getElementById('page-title')?.focus();
  }, [key]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="header">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('app.nav')} className="nav">
          <button
            type="button"
            className="nav__item"
            aria-current={route.name === 'servers' || route.name === 'server' ? 'page' : undefined}
            onClick={() => navigate({ name: 'servers' })}
          >
            {t('servers.title')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={route.name === 'add' ? 'page' : undefined}
            onClick={() => navigate({ name: 'add' })}
          >
            {t('servers.add')}
          </button>
        </nav>
        <LanguageSwitch />
      </header>
      <ConnectionBanner />
      <div className="layout">
        <main id="main" className="main" tabIndex={-1}>
          <Page key={key} route={route} />
        </main>
        <aside className="aside">
          <JobsPanel />
        </aside>
      </div>
    </div>
  );
}
