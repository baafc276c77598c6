import { useEffect, useRef, useSyncExternalStore } from 'react';
import { Router } from 'wouter';
import { getConnectionStatus, onConnectionStatus } from '../lib/api';
import { LANGS, type Lang } from '../lib/format';
import { InstallWizard } from '../features/agent-install/InstallWizard';
import { FleetOverview } from '../features/dashboard/FleetOverview';
import { DrillsPage } from '../features/drills/DrillsPage';
import { GdprPage } from '../features/gdpr/GdprPage';
import { ReportVerifyPage } from '../features/drills/ReportVerifyPage';
import { AboutPage } from '../features/about/AboutPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { HelpPage } from '../features/help/HelpPage';
import { ServerDashboard } from '../features/dashboard/ServerDashboard';
import { AddServerForm } from '../features/servers/AddServerForm';
import { ServerDetail } from '../features/servers/ServerDetail';
import { ServerList } from '../features/servers/ServerList';
import { AccountabilityPage } from '../features/accountability/AccountabilityPage';
import { ActorReminder } from '../features/accountability/ActorReminder';
import { JobsPage } from '../features/jobs/JobsPage';
import { JobsPanel } from '../features/jobs/JobsPanel';
import { RequiresBackup } from '../features/servers/RequiresBackup';
import { RestoreWizard } from '../features/restore-wizard/RestoreWizard';
import { ScratchPage } from '../features/restore-wizard/ScratchList';
import { TimelinePage } from '../features/timeline/TimelinePage';
import { RecordHistoryPage } from '../features/record-history/RecordHistoryPage';
import { RebuildWizard } from '../features/rebuild/RebuildWizard';
import { useServers } from '../stores';
import { useHashPath } from './hash-location';
import { useI18n, useT } from './i18n';
import { NotFound } from './NotFound';
import { resolveStart, routeKey, useRoute, type Route } from './route';
import { ServerNav } from './ServerNav';

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

function StartPending() {
  const t = useT();
  return (
    <h1 id="page-title" tabIndex={-1}>
      {t('common.loading')}
    </h1>
  );
}

function Page({ route }: { route: Route | null }) {
  if (route === null) return <NotFound />;
  switch (route.name) {
    case 'start':
      return <StartPending />;
    case 'fleet':
      return <FleetOverview />;
    case 'servers':
      return <ServerList />;
    case 'add':
      return <AddServerForm />;
    case 'server':
      return <ServerDetail id={route.id} />;
    case 'install':
      return <InstallWizard id={route.id} />;
    case 'dashboard':
      return <ServerDashboard id={route.id} />;
    case 'timeline':
      return (
        <RequiresBackup id={route.id} title="timeline.title" actions={['restore', 'point']}>
          <TimelinePage id={route.id} at={route.at} />
        </RequiresBackup>
      );
    case 'restore':
      return (
        <RequiresBackup id={route.id} title="restore.title" actions={['restore']}>
          <RestoreWizard id={route.id} />
        </RequiresBackup>
      );
    case 'scratch':
      return <ScratchPage />;
    case 'rebuild':
      return <RebuildWizard />;
    case 'drills':
      return <DrillsPage id={route.id} drill={route.drill} />;
    case 'gdpr':
      return <GdprPage id={route.id} />;
    case 'records':
      return <RecordHistoryPage id={route.id} />;
    case 'jobs':
      return <JobsPage />;
    case 'accountability':
      return <AccountabilityPage />;
    case 'verify':
      return <ReportVerifyPage />;
    case 'help':
      return <HelpPage />;
    case 'about':
      return <AboutPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

/** Which navigation item a route belongs to. */
function section(
  route: Route | null,
):
  | 'fleet'
  | 'servers'
  | 'add'
  | 'scratch'
  | 'rebuild'
  | 'jobs'
  | 'verify'
  | 'settings'
  | 'help'
  | 'about'
  | null {
  switch (route?.name) {
    case 'fleet':
    case 'dashboard':
    case 'timeline':
    case 'restore':
    case 'drills':
    case 'gdpr':
    case 'records':
      return 'fleet';
    case 'scratch':
      return 'scratch';
    case 'rebuild':
      return 'rebuild';
    // The activity log is reached from the job history (the top navigation has no room left
    // on one line at 1280 px in German): it marks the same section.
    case 'jobs':
    case 'accountability':
      return 'jobs';
    case 'verify':
    case 'settings':
    case 'help':
    case 'about':
      return route.name;
    case 'servers':
    case 'server':
    case 'install':
      return 'servers';
    case 'add':
      return 'add';
    case 'start':
    case undefined:
      return null;
  }
}

/** The app: every page at its own address after '#' (see hash-location.ts). */
export function App() {
  return (
    <Router hook={useHashPath}>
      <Shell />
    </Router>
  );
}

/** Shell: header with navigation and language, the current page, and the live jobs panel. */
function Shell() {
  const t = useT();
  const chosen = useRoute((s) => s.route);
  const navigate = useRoute((s) => s.navigate);
  const serverCount = useServers((s) => s.servers.length);
  const serversLoaded = useServers((s) => s.loaded);
  const serversFailed = useServers((s) => s.error !== null);
  const route =
    chosen &&
    resolveStart(chosen, { loaded: serversLoaded, count: serverCount, failed: serversFailed });
  // `#/` becomes the page it resolves to in place, so Back does not return to a blank start.
  const resolvedStart = chosen?.name === 'start' && route?.name !== 'start' ? route : null;
  useEffect(() => {
    if (resolvedStart) navigate(resolvedStart, { replace: true });
  }, [resolvedStart, navigate]);
  const current = section(route);
  const lang = useI18n((s) => s.lang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);

  // After navigating, move focus to the new page's heading so keyboard and screen reader users land there.
  const key = route ? routeKey(route) : 'not-found';
  const shownKey = useRef(key);
  useEffect(() => {
    if (shownKey.current === key) return;
    // Resolving the start page is not a navigation: focus stays where the browser put it.
    const fromStart = shownKey.current === 'start';
    shownKey.current = key;
    if (!fromStart) document.getElementById('page-title')?.focus();
  }, [key]);

  const connection = useSyncExternalStore(onConnectionStatus, getConnectionStatus);
  if (connection === 'no-token') {
    return (
      <main id="main" className="main">
        <h1 id="page-title">{t('app.noToken.title')}</h1>
        <p>{t('app.noToken.body')}</p>
      </main>
    );
  }

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
            aria-current={current === 'fleet' ? 'page' : undefined}
            onClick={() => navigate({ name: 'fleet' })}
          >
            {t('fleet.title')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={current === 'servers' ? 'page' : undefined}
            onClick={() => navigate({ name: 'servers' })}
          >
            {t('servers.title')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={current === 'add' ? 'page' : undefined}
            onClick={() => navigate({ name: 'add' })}
          >
            {t('servers.add')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={current === 'scratch' ? 'page' : undefined}
            onClick={() => navigate({ name: 'scratch' })}
          >
            {t('scratch.title')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={current === 'rebuild' ? 'page' : undefined}
            onClick={() => navigate({ name: 'rebuild' })}
          >
            {t('rebuild.nav')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={current === 'jobs' ? 'page' : undefined}
            onClick={() => navigate({ name: 'jobs' })}
          >
            {t('jobs.history.nav')}
          </button>
          <button
            type="button"
            className="nav__item"
            aria-current={current === 'verify' ? 'page' : undefined}
            onClick={() => navigate({ name: 'verify' })}
          >
            {t('verify.nav')}
          </button>
          {/* Settings, Help and About sit apart on the right, next to the language: one line at 1280 px. */}
          <button
            type="button"
            className="nav__item nav__item--aside"
            aria-current={current === 'settings' ? 'page' : undefined}
            onClick={() => navigate({ name: 'settings' })}
          >
            {t('settings.nav')}
          </button>
          <button
            type="button"
            className="nav__item nav__item--aside"
            aria-current={current === 'help' ? 'page' : undefined}
            onClick={() => navigate({ name: 'help' })}
          >
            {t('help.nav')}
          </button>
          <button
            type="button"
            className="nav__item nav__item--aside"
            aria-current={current === 'about' ? 'page' : undefined}
            onClick={() => navigate({ name: 'about' })}
          >
            {t('about.nav')}
          </button>
        </nav>
        <LanguageSwitch />
      </header>
      <ConnectionBanner />
      <ActorReminder />
      <div className="layout">
        <main id="main" className="main" tabIndex={-1}>
          {route && 'id' in route ? <ServerNav route={route} /> : null}
          <Page key={key} route={route} />
        </main>
        <aside className="aside">
          <JobsPanel />
        </aside>
      </div>
    </div>
  );
}
