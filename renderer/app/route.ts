import { useCallback, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';

/**
 * The pages and their addresses. The address is the truth (wouter over the hash, see
 * hash-location.ts): Back/Forward and a reload land on the same page. `Route` is what the
 * renderer navigates with; routeToPath/pathToRoute below are the only place that knows how a
 * route is written as an address. 'start' is `#/`: the fleet overview once servers exist, else
 * the server list.
 */
export type Route =
  | { name: 'start' }
  | { name: 'fleet' }
  | { name: 'servers' }
  | { name: 'add' }
  | { name: 'server'; id: string }
  | { name: 'install'; id: string }
  | { name: 'dashboard'; id: string }
  /** `at`: the picked moment on the timeline, ISO 8601 in UTC. */
  | { name: 'timeline'; id: string; at?: string }
  | { name: 'restore'; id: string }
  /** `drill`: the drill whose report is open. */
  | { name: 'drills'; id: string; drill?: string }
  /** The DPO workspace (issue 17 §4). */
  | { name: 'gdpr'; id: string }
  /** A record's history and its rollback (issue 18 §2, §3). */
  | { name: 'records'; id: string }
  | { name: 'scratch' }
  /** Disaster recovery from the recovery kit (issue 19). */
  | { name: 'rebuild' }
  /** The job history (issue 16 §4). */
  | { name: 'jobs' }
  /** The accountability log of admin actions (issue 17 §5). */
  | { name: 'accountability' }
  /** Verify a report bundle the user picks (issue 16 §5). */
  | { name: 'verify' }
  | { name: 'help' }
  | { name: 'about' }
  | { name: 'settings' };

/** Server and drill ids as main makes them (UUIDs, drill-<time>); anything else is junk. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The timeline's moment: what Date#toISOString writes. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Server pages: the segment after /servers/<id>. */
const SERVER_PAGES = {
  '': 'server',
  install: 'install',
  status: 'dashboard',
  timeline: 'timeline',
  restore: 'restore',
  drills: 'drills',
  gdpr: 'gdpr',
  records: 'records',
} as const satisfies Record<string, Extract<Route, { id: string }>['name']>;

const TOP_PAGES = {
  '/': 'start',
  '/fleet': 'fleet',
  '/servers': 'servers',
  '/servers/new': 'add',
  '/scratch': 'scratch',
  '/rebuild': 'rebuild',
  '/jobs': 'jobs',
  '/accountability': 'accountability',
  '/reports/verify': 'verify',
  '/help': 'help',
  '/about': 'about',
  '/settings': 'settings',
} as const satisfies Record<string, Exclude<Route, { id: string }>['name']>;

const enc = encodeURIComponent;

/** The address of a route: the path, and for a picked moment its query. */
export function routeToPath(route: Route): string {
  switch (route.name) {
    case 'start':
      return '/';
    case 'fleet':
    case 'servers':
    case 'scratch':
    case 'rebuild':
    case 'jobs':
    case 'accountability':
    case 'help':
    case 'about':
    case 'settings':
      return `/${route.name}`;
    case 'verify':
      return '/reports/verify';
    case 'add':
      return '/servers/new';
    case 'server':
      return `/servers/${enc(route.id)}`;
    case 'dashboard':
      return `/servers/${enc(route.id)}/status`;
    case 'timeline':
      return `/servers/${enc(route.id)}/timeline${route.at ? `?at=${enc(route.at)}` : ''}`;
    case 'drills':
      return `/servers/${enc(route.id)}/drills${route.drill ? `/${enc(route.drill)}` : ''}`;
    case 'install':
    case 'restore':
    case 'gdpr':
    case 'records':
      return `/servers/${enc(route.id)}/${route.name}`;
  }
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The route an address names, or null for anything else (an unknown page, a malformed id or
 * moment, extra segments or query parameters): the app shows "page not found" then.
 */
export function pathToRoute(path: string, search = ''): Route | null {
  const query = new URLSearchParams(search);
  const keys = [...query.keys()];
  const trimmed = path.length > 1 ? path.replace(/\/$/, '') : path;
  const top = (TOP_PAGES as Record<string, Route['name']>)[trimmed];
  if (top) return keys.length === 0 ? ({ name: top } as Route) : null;

  const segments = trimmed.split('/').map(decode);
  if (segments.includes(null)) return null;
  const [empty, servers, id, page = '', drill, ...rest] = segments as string[];
  if (empty !== '' || servers !== 'servers' || !id || !ID.test(id) || id === 'new') return null;
  if (rest.length > 0) return null;
  const name = (SERVER_PAGES as Record<string, Extract<Route, { id: string }>['name']>)[page];
  if (!name) return null;

  if (name === 'drills') {
    if (keys.length > 0) return null;
    if (drill === undefined) return { name, id };
    return ID.test(drill) ? { name, id, drill } : null;
  }
  if (drill !== undefined) return null;
  if (name === 'timeline') {
    const at = query.get('at');
    if (keys.some((k) => k !== 'at') || query.getAll('at').length > 1) return null;
    if (at === null) return { name, id };
    return ISO_UTC.test(at) && !Number.isNaN(Date.parse(at)) ? { name, id, at } : null;
  }
  return keys.length === 0 ? { name, id } : null;
}

export interface NavigateOptions {
  /** Replace the current history entry (a refinement such as the picked moment, not a page). */
  replace?: boolean;
}

interface RouteState {
  /** The current page; null when the address names none ("page not found"). */
  route: Route | null;
  navigate(route: Route, options?: NavigateOptions): void;
}

/** The current route and `navigate`, read like the zustand store this used to be. */
export function useRoute<T>(select: (state: RouteState) => T): T {
  const [path, setLocation] = useLocation();
  const search = useSearch();
  const route = useMemo(() => pathToRoute(path, search), [path, search]);
  const navigate = useCallback(
    (to: Route, options?: NavigateOptions) => setLocation(routeToPath(to), options),
    [setLocation],
  );
  return select({ route, navigate });
}

/** What 'start' shows, once the server list is known; other routes are what they say. */
export function resolveStart(
  route: Route,
  servers: { loaded: boolean; count: number; failed: boolean },
): Route {
  if (route.name !== 'start') return route;
  if (servers.count > 0) return { name: 'fleet' };
  if (servers.loaded || servers.failed) return { name: 'servers' };
  return route;
}

/** One key per page: a picked moment or an open report is the same page, not a new one. */
export function routeKey(route: Route): string {
  return 'id' in route ? `${route.name}:${route.id}` : route.name;
}

/** The server a route is about, for the server sub-navigation. */
export function serverOf(route: Route | null): string | null {
  return route && 'id' in route ? route.id : null;
}
