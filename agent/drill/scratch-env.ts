import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { AgentError, errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { SCRATCH_MARKER, socketFolder, type DrillPaths } from './scratch-paths';
import { stopScratchCluster } from './scratch-cluster';

/**
 * Drill clusters take the first free port from here: far from PostgreSQL's usual 5432-5439. The
 * app's scratch clusters (55400-55999) may share the range; the probe keeps them apart.
 */
export const FIRST_DRILL_PORT = 55_432;
const LAST_DRILL_PORT = 55_999;

/**
 * Owner of the production cluster's files, i.e. its OS user's uid and gid (read from the data
 * directory rather than /etc/passwd, which misses users from LDAP and the like). When the agent
 * is not root, its tools run as itself, and so do its folders.
 */
function clusterOwner(config: AgentConfig): { uid: number; gid: number } {
  if (process.getuid?.() !== 0)
    return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const stat = fs.statSync(config.pg.dataDirectory);
  return { uid: stat.uid, gid: stat.gid };
}

/**
 * Creates the drill's folders: the scratch root traversable (0711, so the cluster's OS user
 * reaches its own folder inside), the drill's root and everything in it owned by that user with
 * mode 0700 (PostgreSQL refuses a data directory others can read). Fails when the folder exists:
 * drill ids are never reused.
 */
export function createScratchDirs(config: AgentConfig, paths: DrillPaths): void {
  const scratchRoot = path.dirname(paths.root);
  fs.mkdirSync(scratchRoot, { recursive: true, mode: 0o711 });
  fs.chmodSync(scratchRoot, 0o711);
  fs.mkdirSync(paths.root, { mode: 0o700 });
  fs.writeFileSync(path.join(paths.root, SCRATCH_MARKER), '');
  const owned = [
    paths.root,
    paths.data,
    paths.socket,
    path.dirname(paths.lock),
    paths.lock,
    paths.pgbackrestLog,
    paths.spool,
    paths.walStaging,
  ];
  const { uid, gid } = clusterOwner(config);
  for (const dir of owned) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chownSync(dir, uid, gid);
  }
  assertReachable(config, scratchRoot);
}

/**
 * Empties the drill's data directory for a second restore (the first restored another backup):
 * removed and made again, 0700 and owned like {@link createScratchDirs} makes it.
 */
export function recreateDataDir(config: AgentConfig, paths: DrillPaths): void {
  fs.rmSync(paths.data, { recursive: true, force: true });
  fs.mkdirSync(paths.data, { mode: 0o700 });
  const { uid, gid } = clusterOwner(config);
  fs.chownSync(paths.data, uid, gid);
}

/**
 * The cluster's OS user must be able to walk down to the scratch root: a parent folder that is
 * 0700 root (a temp dir, say) would make pgBackRest fail with a puzzling permission error.
 */
function assertReachable(config: AgentConfig, scratchRoot: string): void {
  const { uid, gid } = clusterOwner(config);
  if (uid === 0) return;
  for (let dir = scratchRoot; ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    const bit = stat.uid === uid ? 0o100 : stat.gid === gid ? 0o010 : 0o001;
    const mayEnter = (stat.mode & bit) !== 0;
    if (!mayEnter) {
      throw new AgentError(
        'prepare',
        `${config.pg.osUser} cannot enter ${dir} (mode ${(stat.mode & 0o777).toString(8)}), so it cannot reach drill.scratchRoot ${scratchRoot}`,
      );
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** Deletes a drill's folder, but only one that carries the drill marker. */
export function removeScratchDir(root: string): void {
  if (!fs.existsSync(root)) return;
  if (!fs.existsSync(path.join(root, SCRATCH_MARKER))) {
    throw new AgentError('cleanup', `${root} is not a drill folder; not deleted`);
  }
  fs.rmSync(root, { recursive: true, force: true });
  // A deep scratch root keeps the socket folder in /tmp (see socketFolder).
  fs.rmSync(socketFolder(root), { recursive: true, force: true });
}

/**
 * Stops and deletes what an earlier drill left behind (the agent was killed with SIGKILL, the
 * server lost power). Runs under the repository lock, so no other drill is using them.
 */
export async function sweepLeftovers(
  config: AgentConfig,
  scratchRoot: string,
  log: Logger,
): Promise<void> {
  let names: string[];
  try {
    names = fs.readdirSync(scratchRoot);
  } catch {
    return;
  }
  for (const name of names) {
    const root = path.join(scratchRoot, name);
    if (!name.startsWith('drill-') || !fs.existsSync(path.join(root, SCRATCH_MARKER))) continue;
    log.warn(`drill: removing the leftover environment ${root}`);
    try {
      await stopScratchCluster(config, path.join(root, 'data'));
      removeScratchDir(root);
    } catch (error) {
      log.warn(`drill: could not remove ${root}: ${errorMessage(error)}`);
    }
  }
}

/** True when nothing listens on 127.0.0.1:`port` (the address the scratch cluster uses). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * The port for the scratch cluster: the configured one, or the first free one from 55432.
 * @throws AgentError when the configured port is taken or none in the range is free.
 */
export async function pickDrillPort(configured: number): Promise<number> {
  if (configured > 0) {
    if (await portIsFree(configured)) return configured;
    throw new AgentError('start', `drill.port ${configured} is in use on 127.0.0.1`);
  }
  for (let port = FIRST_DRILL_PORT; port <= LAST_DRILL_PORT; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new AgentError(
    'start',
    `no free port for the scratch cluster in ${FIRST_DRILL_PORT}-${LAST_DRILL_PORT}`,
  );
}
