import { createHash } from 'node:crypto';
import path from 'node:path';

/** A Unix socket address holds at most this many bytes: `<folder>/.s.PGSQL.<port>`. */
const SOCKET_ADDRESS_MAX = 107;

/**
 * The Unix socket folder of the scratch cluster in folder `root`: `<root>/sock`, unless a deep
 * scratchRoot would make the socket address too long for PostgreSQL to listen on; then a short
 * folder in /tmp named after the drill's folder (its name is derived, so a later sweep or
 * clean-up finds it again, and the app finds a scratch restore's socket from its folder).
 */
export function socketFolder(root: string): string {
  const inRoot = path.join(root, 'sock');
  if (`${inRoot}/.s.PGSQL.65535`.length <= SOCKET_ADDRESS_MAX) return inRoot;
  return `/tmp/kumiko-drill-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
}
