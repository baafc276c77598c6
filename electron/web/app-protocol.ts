import fs from 'node:fs/promises';
import { mimeTypeOf, rendererCsp, rendererFilePath } from './renderer-files';

// The desktop window loads the renderer from app://kumiko/, not file:// (DESIGN.md §6): a page
// on file:// may read any other file:// URL the OS lets the user read, and Electron grants
// file:// extra privileges unless the grantFileProtocolExtraPrivileges fuse is off (it is:
// electron-builder.yml). Under app:// the page's origin is app://kumiko and the only files it
// can reach are the ones this module hands out from dist/renderer. electron/main/index.ts
// registers the scheme and passes every request here; all the deciding is in this file, so it
// runs in unit tests without the Electron binary.

export const APP_SCHEME = 'app';
export const APP_HOST = 'kumiko';
/** The URL the window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The scheme's privileges for protocol.registerSchemesAsPrivileged: `standard` (origin
 * app://kumiko, relative URLs resolve like https), `secure` (a secure context, like https),
 * fetch and CORS so Vite's `<script type="module" crossorigin>` loads (a same-origin request;
 * no response carries Access-Control-Allow-Origin, so no other origin reads one). Never
 * `bypassCSP`.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  bypassCSP: false,
  allowServiceWorkers: false,
} as const;

/** What the protocol handler answers (electron/main turns it into a Response). */
export interface AppProtocolResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

const COMMON_HEADERS = {
  'Content-Security-Policy': rendererCsp(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The renderer file an app:// URL names, or null: only `app://kumiko/<path>` (no user, no
 * port, no other host: `app://../../etc/passwd` parses with host `..`), and only files inside
 * `rendererDir` (rendererFilePath refuses every climb out of it).
 */
export function appRequestPath(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null;
  if (url.username !== '' || url.password !== '') return null;
  return rendererFilePath(rendererDir, url.pathname);
}

/**
 * Answers one app:// request: the file with its type and the renderer's CSP, 404 for anything
 * outside the renderer folder or missing, 405 for methods other than GET and HEAD.
 */
export async function appProtocolResponse(
  rendererDir: string,
  request: { url: string; method: string },
  readFile: (file: string) => Promise<Uint8Array> = (file) => fs.readFile(file),
): Promise<AppProtocolResponse> {
  const plain = (status: number, text: string): AppProtocolResponse => ({
    status,
    headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
    body: new TextEncoder().encode(text),
  });
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Not allowed');
  const file = appRequestPath(rendererDir, request.url);
  if (file === null) return plain(404, 'Not found');
  let body: Uint8Array;
  try {
    body = await readFile(file);
  } catch {
    return plain(404, 'Not found');
  }
  return {
    status: 200,
    headers: { ...COMMON_HEADERS, 'Content-Type': mimeTypeOf(file) },
    body: request.method === 'HEAD' ? null : body,
  };
}

/** Whether `candidate` is the app's own page: app://kumiko/index.html (any query or hash). */
export function isAppEntryUrl(candidate: URL): boolean {
  return (
    candidate.protocol === `${APP_SCHEME}:` &&
    candidate.host.toLowerCase() === APP_HOST &&
    candidate.username === '' &&
    candidate.password === '' &&
    candidate.pathname === '/index.html'
  );
}
