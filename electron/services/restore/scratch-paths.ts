import { AppError } from '../app-error';
import type { ProductionCluster } from './restore-site';

/** The folders and files of one scratch environment on its host. */
export interface ScratchPaths {
  /** `<scratchRoot>/<id>`: owned by the cluster's OS user, mode 0700; removing it removes all. */
  root: string;
  data: string;
  socket: string;
  /** The scratch cluster's server log (stderr of the postmaster, logging_collector off). */
  log: string;
  /** pgBackRest lock, log and spool of this restore: never the production ones. */
  lock: string;
  pgbackrestLog: string;
  spool: string;
  /** Attached files restored by restic. */
  files: string;
  resticCache: string;
}

const ID = /^[0-9a-f-]{36}$/;

/** Paths of environment `id` under `scratchRoot`. */
export function scratchPaths(scratchRoot: string, id: string): ScratchPaths {
  // The id becomes part of an `rm -rf`: only a UUID is ever accepted.
  if (!ID.test(id)) throw new AppError('INTERNAL', `Not a scratch id: ${id}`);
  if (!scratchRoot.startsWith('/') || scratchRoot.split('/').includes('..')) {
    throw new AppError('INTERNAL', `Not an absolute scratch folder: ${scratchRoot}`);
  }
  // The first 8 hex digits name the folder: the socket path (`<root>/sock/.s.PGSQL.<port>`)
  // must stay under the 107 bytes a Unix socket address holds.
  const root = `${scratchRoot.replace(/\/+$/, '')}/${id.slice(0, 8)}`;
  const socket = `${root}/sock`;
  if (`${socket}/.s.PGSQL.55555`.length > 107) {
    throw new AppError(
      'RESTORE_FAILED',
      `The scratch folder ${root} is too deep for a PostgreSQL Unix socket (at most 107 bytes).`,
    );
  }
  return {
    root,
    data: `${root}/data`,
    socket,
    log: `${root}/postgres.log`,
    lock: `${root}/pgbackrest/lock`,
    pgbackrestLog: `${root}/pgbackrest/log`,
    spool: `${root}/pgbackrest/spool`,
    files: `${root}/files`,
    resticCache: `${root}/restic-cache`,
  };
}

function normal(path: string): string {
  return path.replace(/\/+/g, '/').replace(/\/$/, '');
}

function inside(child: string, parent: string): boolean {
  const c = normal(child);
  const p = normal(parent);
  return c === p || c.startsWith(`${p}/`);
}

/**
 * Refuses a scratch environment that could touch production: its data directory inside (or
 * around) a production data directory, or a production port. Checked before anything is
 * created and again before the scratch cluster starts.
 */
export function assertApartFromProduction(
  paths: ScratchPaths,
  port: number,
  clusters: readonly ProductionCluster[],
): void {
  for (const production of clusters) assertApart(paths, port, production);
}

function assertApart(paths: ScratchPaths, port: number, production: ProductionCluster): void {
  if (
    inside(paths.root, production.dataDirectory) ||
    inside(production.dataDirectory, paths.root)
  ) {
    throw new AppError(
      'RESTORE_FAILED',
      `Refusing to restore into ${paths.root}: it overlaps the production data directory ${production.dataDirectory}.`,
    );
  }
  if (port === production.port) {
    throw new AppError(
      'RESTORE_FAILED',
      `Refusing to start a scratch cluster on the production port ${production.port}.`,
    );
  }
}
