import { useSyncExternalStore } from 'react';

/**
 * wouter's location hook for the app: the whole address lives after '#', query included
 * (`#/servers/<id>/timeline?at=…`). A hash needs no server fallback, so a deep link works the
 * same on app://kumiko/index.html in Electron and on the browser mode's `/`. wouter's own hash
 * hook moves the query into the real URL's search and keeps a stale one when the next address
 * has none; this one keeps both parts together, which is also where the token handling in
 * lib/api.ts does not look.
 */

function subscribe(onChange: () => void): () => void {
  // Back/Forward between pushState entries fire popstate, a typed or navigated hash hashchange.
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

function hashAddress(): string {
  const raw = window.location.hash.replace(/^#/, '');
  return raw.startsWith('/') ? raw : `/${raw}`;
}

const pathPart = () => hashAddress().split('?')[0] ?? '/';
const searchPart = () => hashAddress().split('?')[1] ?? '';

/** Pushes (or replaces) `to` as the new hash address; listeners hear it at once. */
export function navigateHash(to: string, options?: { replace?: boolean }): void {
  const url = new URL(window.location.href);
  url.hash = to;
  if (url.href === window.location.href) return;
  window.history[options?.replace ? 'replaceState' : 'pushState'](null, '', url.href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useHashPath(): [string, typeof navigateHash] {
  return [useSyncExternalStore(subscribe, pathPart, () => '/'), navigateHash];
}
/** What <Link href> renders: the address as a same-page hash. */
useHashPath.hrefs = (href: string) => `#${href}`;

export function useHashSearch(): string {
  return useSyncExternalStore(subscribe, searchPart, () => '');
}
useHashPath.searchHook = useHashSearch;
