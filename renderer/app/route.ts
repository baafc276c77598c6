import { create } from 'zustand';

/** The three screens; state-based, no URL routing (the page may live on file://). */
export type Route = { name: 'servers' } | { name: 'add' } | { name: 'server'; id: string };

interface RouteState {
  route: Route;
  navigate(route: Route): void;
}

export const useRoute = create<RouteState>()((set) => ({
  route: { name: 'servers' },
  navigate(route) {
    set({ route });
  },
}));
