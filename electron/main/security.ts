import { shell, type Session, type WebContents } from 'electron';
import { isAppEntryUrl } from '../web/app-protocol';
import { rendererCsp } from '../web/renderer-files';

/**
 * The production Content-Security-Policy, on every response (the app:// handler sends it too,
 * and the built index.html carries it in a <meta> tag): no 'unsafe-inline' (renderer-files.ts).
 */
export const CONTENT_SECURITY_POLICY = rendererCsp();

/** https origins the app may hand to the system browser (docs, support). Nothing else. */
export const EXTERNAL_ALLOWLIST: readonly string[] = [
  'https://kumiko.de',
  'https://docs.kumiko.de',
];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `candidate` is the app itself: for the app:// entry exactly app://kumiko/index.html
 * (any hash or query, which the hash router uses; a non-special scheme's URL.origin is "null"
 * for every host, so origins are never compared there); for a file:// entry exactly that file;
 * for the dev server its origin.
 */
export function isAppUrl(candidate: string, entryUrl: string): boolean {
  const c = parse(candidate);
  const e = parse(entryUrl);
  if (!c || !e) return false;
  if (isAppEntryUrl(e)) return isAppEntryUrl(c);
  if (e.protocol === 'file:') {
    return c.protocol === 'file:' && c.host === e.host && c.pathname === e.pathname;
  }
  return c.origin === e.origin;
}

export function isAllowedExternalUrl(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === 'https:' &&
    u.username === '' &&
    u.password === '' &&
    EXTERNAL_ALLOWLIST.includes(u.origin)
  );
}

function openExternalIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

export interface HardenSessionOptions {
  /** Vite dev server origin in development: its scripts and HMR socket are allowed. */
  devServerUrl?: string;
}

function contentSecurityPolicy(devServerUrl?: string): string {
  if (!devServerUrl) return CONTENT_SECURITY_POLICY;
  // Development only: React refresh injects an inline preamble, Vite's dev server injects CSS
  // as <style> elements and its HMR talks over a WebSocket. The built app needs none of it.
  const ws = devServerUrl.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", `connect-src 'self' ${ws}`);
}

/** CSP on every response, no remote content, every permission denied. */
export function hardenSession(session: Session, options: HardenSessionOptions = {}): void {
  const csp = contentSecurityPolicy(options.devServerUrl);
  const devHost = options.devServerUrl ? parse(options.devServerUrl)?.host : undefined;

  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });

  // No remote content: network requests only to the dev server (in development).
  session.webRequest.onBeforeRequest((details, callback) => {
    const u = parse(details.url);
    const remote = u !== null && /^(https?|wss?):$/.test(u.protocol) && u.host !== devHost;
    callback({ cancel: remote });
  });

  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** No navigation away from the app, no new windows, no webviews. */
export function hardenWebContents(contents: WebContents, entryUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, entryUrl)) return;
    event.preventDefault();
    openExternalIfAllowed(url); // a clicked docs link opens in the system browser
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, entryUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
}
