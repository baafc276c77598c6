import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 256 random bits, URL-safe: the only credential of a browser-mode session. */
export function generateToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * The token in `Authorization: Bearer …`. Never read from a cookie: cookies are not bound to a
 * port, so any page or server on another 127.0.0.1 port would get (and send) it as well.
 */
export function bearerToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : null;
}

/** The token in `?token=`: the printed URL, and the WebSocket (browsers cannot set its headers). */
export function queryToken(url: URL): string | null {
  return url.searchParams.get('token');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(expected: string, presented: string | null): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
