import path from 'node:path';

// The built renderer (dist/renderer) as both transports serve it: Electron's app:// protocol
// (app-protocol.ts) and browser mode's HTTP server (server.ts via static-files.ts). One place
// decides which file a request may read, its type and the Content-Security-Policy it gets.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The Content-Type of a renderer file; unknown kinds are bytes, never guessed as script. */
export function mimeTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The absolute path of the renderer file a URL path (`/assets/index-1a2b.js`, still
 * percent-encoded as in a URL) names inside `root`, or null when it names anything else: a
 * `..` climb (also encoded, `..%2F`, which URL parsing leaves alone), a backslash or colon
 * (Windows separators, drive letters, NTFS streams: no built file has either), a NUL byte,
 * bad percent-encoding. `/` is index.html.
 */
export function rendererFilePath(root: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === '/' || urlPath === '' ? '/index.html' : urlPath);
  } catch {
    return null;
  }
  if (/[\0\\:]/.test(relative)) return null;
  const base = path.resolve(root);
  const resolved = path.resolve(base, `.${relative.startsWith('/') ? '' : '/'}${relative}`);
  // Containment of the resolved path, not a search for `..` in the text: whatever the
  // platform made of the request, the file must lie below the renderer folder.
  const inside = path.relative(base, resolved);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return resolved;
}

/**
 * The renderer's Content-Security-Policy, sent with every file (the built index.html carries
 * the same in a <meta> tag, vite.config.ts). No 'unsafe-inline' anywhere: the build has no
 * inline script or style, and React's `style` props are set through the DOM's CSSOM, which
 * style-src does not govern. `connect` adds what the page may talk to besides itself (browser
 * mode's WebSocket).
 */
export function rendererCsp(connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
