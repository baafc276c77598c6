import { psqlDatabaseArg } from '../../../shared/postgres-conninfo';
import { AppError } from '../app-error';
import type { ScratchRecord } from './scratch-repo';
import type { ScratchPaths } from './scratch-paths';
import type { RestoreShell } from './restore-shell';
import { shq } from './restore-shell';
import type { RestoreSite } from './restore-site';

/** Scratch clusters get ports from this range (away from 5432-5439 of usual clusters). */
export const SCRATCH_PORTS = { first: 55400, last: 55999 } as const;

/** Marker file: only a folder holding it is ever deleted by `removeScratch`. */
const MARKER = '.kumiko-scratch';

/** Ports something listens on, from `ss` (or /proc/net/tcp where iproute2 is missing). */
export function parseListeningPorts(text: string): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const [source, address] = line.trim().split(/\s+/);
    if (!address) continue;
    const tail = address.slice(address.lastIndexOf(':') + 1);
    const port = source === 'proc' ? parseInt(tail, 16) : Number(tail);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  return ports;
}

/** The first port of the range nobody listens on and no other scratch environment holds. */
export function pickPort(busy: Set<number>, start = SCRATCH_PORTS.first): number {
  for (let port = start; port <= SCRATCH_PORTS.last; port++) if (!busy.has(port)) return port;
  throw new AppError(
    'RESTORE_FAILED',
    'No free port for a scratch cluster (55400-55999 all taken).',
  );
}

/** Asks the host which TCP ports are listening. */
export async function listeningPorts(
  shell: RestoreShell,
  signal?: AbortSignal,
): Promise<Set<number>> {
  const out = await shell.run(
    'find a free port',
    [
      'if command -v ss >/dev/null 2>&1; then ss -ltnH | awk \'{print "ss", $4}\'',
      'else cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk \'$4 == "0A" {print "proc", $2}\'; fi',
    ].join('\n'),
    { signal },
  );
  return parseListeningPorts(out.stdout);
}

/**
 * Creates the environment's folders: the root owned by the cluster's OS user with mode 0700
 * (PostgreSQL refuses a data directory others can read), the parent traversable only.
 * Fails when the root exists: an id is never reused.
 */
export async function createScratchDirs(
  site: RestoreSite,
  paths: ScratchPaths,
  signal?: AbortSignal,
): Promise<void> {
  const owner = shq(site.osUser);
  await site.shell.run(
    'create the scratch folders',
    [
      `mkdir -p ${shq(site.scratchRoot)}`,
      `chmod 711 ${shq(site.scratchRoot)}`,
      `mkdir -m 700 ${shq(paths.root)}`,
      `touch ${shq(`${paths.root}/${MARKER}`)}`,
      ...[
        paths.data,
        paths.socket,
        `${paths.root}/pgbackrest`,
        paths.lock,
        paths.pgbackrestLog,
        paths.spool,
      ].map((dir) => `mkdir -m 700 ${shq(dir)}`),
      `chown -R ${owner}: ${shq(paths.root)}`,
    ].join('\n'),
    { signal },
  );
}

/**
 * psql against the scratch cluster over its own socket, as the cluster's OS user. The database
 * goes in as `--dbname=dbname='<name>'` (shared/postgres-conninfo.ts), so a name holding `=`
 * is a name, never a connection string that picks another host or socket.
 */
export function scratchPsql(
  site: Pick<RestoreSite, 'binDirectory' | 'osUser'>,
  paths: Pick<ScratchPaths, 'socket'>,
  port: number,
  db: string,
): string {
  return [
    shq(`${site.binDirectory}/psql`),
    '-X -q -A -t -v ON_ERROR_STOP=1',
    `-h ${shq(paths.socket)} -p ${port} -U ${shq(site.osUser)} ${shq(psqlDatabaseArg(db))}`,
  ].join(' ');
}

/** Runs SQL (from a quoted heredoc) on the scratch cluster; returns stdout. */
export async function scratchQuery(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  db: string,
  sql: string,
  step: string,
  signal?: AbortSignal,
): Promise<string> {
  const out = await site.shell.run(
    step,
    `${scratchPsql(site, paths, port, db)} <<'KUMIKO_SQL'\n${sql}\nKUMIKO_SQL`,
    { asUser: site.osUser, signal },
  );
  return out.stdout.trim();
}

/**
 * Starts the scratch postmaster without waiting (the job watches recovery itself, with
 * progress). archive_mode=off and the port also go on the command line, where no file in the
 * restored data directory can override them.
 */
export async function startScratch(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  signal?: AbortSignal,
): Promise<void> {
  await site.shell.run(
    'start the scratch cluster',
    // -l: without a log file the postmaster would hold this SSH channel open.
    `${shq(`${site.binDirectory}/pg_ctl`)} -D ${shq(paths.data)} -l ${shq(paths.log)} ` +
      `-o ${shq(`-c archive_mode=off -c port=${port}`)} -W start </dev/null >/dev/null`,
    { asUser: site.osUser, signal },
  );
}

/**
 * Stops a scratch cluster if it runs: fast shutdown, then immediate if that hangs. Never
 * throws for a cluster that is already gone.
 */
export async function stopScratch(
  shell: RestoreShell,
  host: ScratchRecord['host'],
  signal?: AbortSignal,
): Promise<void> {
  const ctl = shq(`${host.binDirectory}/pg_ctl`);
  const data = shq(`${host.root}/data`);
  await shell.run(
    'stop the scratch cluster',
    [
      `if [ -f ${data}/postmaster.pid ]; then`,
      `  ${ctl} -D ${data} -m fast -w -t 60 stop >/dev/null 2>&1 || ${ctl} -D ${data} -m immediate -w -t 30 stop >/dev/null 2>&1 || true`,
      'fi',
      `if [ -f ${data}/postmaster.pid ] && kill -0 "$(head -1 ${data}/postmaster.pid)" 2>/dev/null; then echo "the scratch postmaster does not stop" >&2; exit 1; fi`,
    ].join('\n'),
    { asUser: host.osUser, signal },
  );
}

/** Deletes the environment's root folder (only one that carries the scratch marker). */
export async function removeScratch(
  shell: RestoreShell,
  host: ScratchRecord['host'],
  signal?: AbortSignal,
): Promise<void> {
  const root = shq(host.root);
  await shell.run(
    'delete the scratch folder',
    [
      `if [ ! -e ${root} ]; then exit 0; fi`,
      `if [ ! -f ${root}/${MARKER} ]; then echo "${host.root} is not a scratch environment; not deleted" >&2; exit 1; fi`,
      `rm -rf ${root}`,
    ].join('\n'),
    { signal },
  );
}

/** Bytes under each folder (`du -sb`), for folders that exist. */
export async function folderSizes(
  shell: RestoreShell,
  folders: string[],
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const out = await shell.run(
    'measure scratch folders',
    folders.map((f) => `[ -d ${shq(f)} ] && du -sb ${shq(f)} 2>/dev/null || true`).join('\n'),
    { signal, allowFailure: true },
  );
  const sizes = new Map<string, number>();
  for (const line of out.stdout.split('\n')) {
    const m = /^(\d+)\s+(.+)$/.exec(line);
    if (m) sizes.set(m[2] as string, Number(m[1]));
  }
  return sizes;
}
