import { create } from 'zustand';

/**
 * The screens; state-based, no URL routing (the page may live on file://). 'start' is the
 * first screen: the fleet overview once servers exist, else the server list.
 */
export type Route =
  | { name: 'start' }
  | { name: 'fleet' }
  | { name: 'servers' }
  | { name: 'add' }
  | { name: 'server'; id: string }
  | { name: 'install'; id: string }
  | { name: 'dashboard'; id: string }
  | { name: 'timeline'; id: string }
  | { name: 'restore'; id: string }
  | { name: 'drills'; id: string }
  | { name: 'scratch' };

interface RouteState {
  route: Route;
  navigate(route: Route): void;
}

export const useRoute = create<RouteState>()((set) => ({
  route: { name: 'start' },
  navigate(route) {
    set({ route });
  },
}));

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

export function routeKey(route: Route): string {
  return 'id' in route ? `${route.name}:${route.id}` : route.name;
}
