import { Link } from 'wouter';
import { useServers } from '../stores';
import { useT } from './i18n';
import type { MessageKey } from './i18n';
import { routeToPath, type Route } from './route';

type Tab = 'status' | 'timeline' | 'records' | 'drills' | 'gdpr' | 'connection';

/** Which tab a server page belongs to: the restore wizard starts from the timeline. */
function tabOf(route: Extract<Route, { id: string }>): Tab {
  switch (route.name) {
    case 'dashboard':
      return 'status';
    case 'timeline':
    case 'restore':
      return 'timeline';
    case 'drills':
      return 'drills';
    case 'gdpr':
      return 'gdpr';
    case 'records':
      return 'records';
    case 'server':
    case 'install':
      return 'connection';
  }
}

const TABS: readonly { tab: Tab; label: MessageKey; to: (id: string) => Route }[] = [
  { tab: 'status', label: 'nav.server.status', to: (id) => ({ name: 'dashboard', id }) },
  { tab: 'timeline', label: 'nav.server.timeline', to: (id) => ({ name: 'timeline', id }) },
  { tab: 'records', label: 'nav.server.records', to: (id) => ({ name: 'records', id }) },
  { tab: 'drills', label: 'nav.server.drills', to: (id) => ({ name: 'drills', id }) },
  { tab: 'gdpr', label: 'nav.server.gdpr', to: (id) => ({ name: 'gdpr', id }) },
  { tab: 'connection', label: 'nav.server.connection', to: (id) => ({ name: 'server', id }) },
];

/**
 * The one sub-navigation of a server's pages. Links, not buttons: each page has an address
 * (open in a new tab works), and their names may repeat the page's own action buttons.
 */
export function ServerNav({ route }: { route: Extract<Route, { id: string }> }) {
  const t = useT();
  const name = useServers((s) => s.servers.find((x) => x.id === route.id)?.name);
  const current = tabOf(route);
  return (
    <nav aria-label={t('nav.server', { name: name ?? '' })} className="subnav">
      {TABS.map(({ tab, label, to }) => (
        <Link
          key={tab}
          href={routeToPath(to(route.id))}
          className="subnav__item"
          aria-current={tab === current ? 'page' : undefined}
        >
          {t(label)}
        </Link>
      ))}
    </nav>
  );
}
