import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { AgentError, errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { runTool } from '../runtime/exec';
import { writeExclusive } from '../runtime/no-follow';
import { agentOwner, clusterOwner, emptyAsClusterUser } from './cluster-user';
import { SCRATCH_MARKER, socketFolder, type DrillPaths } from './scratch-paths';
import { stopScratchCluster } from './scratch-cluster';

/**
 * Drill and scratch clusters take a free port from this range: far from PostgreSQL's usual
 * 5432-5439. The app's scratch clusters (55400-55999) may share the range; the probe keeps
 * them apart.
 */
export const FIRST_DRILL_PORT = 55_432;
const LAST_DRILL_PORT = 55_999;

/**
 * Creates the drill's folders (DESIGN.md §6: root never writes inside a folder another user can
 * write). The scratch root and the drill's own folder are the agent's, 0711: the cluster's OS
 * user walks through them but cannot add, rename or replace an entry, so the files the agent
 * writes there (the marker, the scratch cluster's pg_hba.conf) and the folder restic restores
 * the attached files into (`files`, 0700, the agent's alone) stay out of its reach. The data
 * directory, the socket, WAL staging and pgBackRest folders are that user's, 0700 (PostgreSQL
 * refuses a data directory others can read); the server log is a file of that user made here,
 * so pg_ctl appends to it. Fails when the folder exists: drill ids are never reused.
 * @throws AgentError when drill.scratchRoot or a folder above it can be changed by another user.
 */
export function createScratchDirs(config: AgentConfig, paths: DrillPaths): void {
  const scratchRoot = path.dirname(paths.root);
  fs.mkdirSync(scratchRoot, { recursive: true, mode: 0o711 });
  assertOnlyAgentCanChange(scratchRoot);
  fs.chmodSync(scratchRoot, 0o711);
  fs.mkdirSync(paths.root, { mode: 0o711 });
  fs.chmodSync(paths.root, 0o711);
  writeExclusive(path.join(paths.root, SCRATCH_MARKER), '', 0o600);
  const owner = clusterOwner(config);
  writeExclusive(paths.log, '', 0o600, owner);
  fs.mkdirSync(paths.files, { mode: 0o700 });
  // Each made while still the agent's (0700: nobody else can enter), then handed over, the
  // folders inside before the one holding them.
  const pgbackrest = path.dirname(paths.lock);
  const owned = [paths.data, paths.walStaging, pgbackrest];
  const inside = [paths.lock, paths.pgbackrestLog, paths.spool];
  const socketInRoot = path.dirname(paths.socket) === paths.root;
  if (socketInRoot) owned.push(paths.socket);
  for (const dir of owned) fs.mkdirSync(dir, { mode: 0o700 });
  for (const dir of inside) fs.mkdirSync(dir, { mode: 0o700 });
  for (const dir of [...inside, ...owned]) fs.lchownSync(dir, owner.uid, owner.gid);
  if (!socketInRoot) {
    // A deep scratch root keeps the socket in /tmp (see socketFolder): made anew (never an
    // existing folder or symlink someone else left there), then handed over. /tmp's sticky bit
    // keeps others from renaming or replacing it afterwards.
    try {
      fs.mkdirSync(paths.socket, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new AgentError(
        'prepare',
        `${paths.socket} already exists; the scratch cluster's socket folder must be new`,
      );
    }
    fs.lchownSync(paths.socket, owner.uid, owner.gid);
  }
  assertReachable(config, scratchRoot);
}

/**
 * Refuses a scratch root that someone other than the agent could change, or under a folder
 * someone else may rename entries of (a world-writable folder without the sticky bit, a folder
 * of another user): the drill's folder would not be the agent's alone.
 * @throws AgentError
 */
function assertOnlyAgentCanChange(scratchRoot: string): void {
  const me = agentOwner().uid;
  const own = fs.lstatSync(scratchRoot);
  if (!own.isDirectory() || own.uid !== me || (own.mode & 0o022) !== 0) {
    throw new AgentError(
      'prepare',
      `drill.scratchRoot ${scratchRoot} must be a folder of the agent's user that nobody else can write (it is ${own.isSymbolicLink() ? 'a symlink' : `owned by uid ${own.uid}, mode ${(own.mode & 0o7777).toString(8)}`})`,
    );
  }
  const real = fs.realpathSync(scratchRoot);
  for (let dir = path.dirname(real); ; dir = path.dirname(dir)) {
    const st = fs.statSync(dir);
    const othersWrite = (st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0;
    if ((st.uid !== me && st.uid !== 0) || othersWrite) {
      throw new AgentError(
        'prepare',
        `drill.scratchRoot ${scratchRoot} is inside ${dir}, which others can change (owner uid ${st.uid}, mode ${(st.mode & 0o7777).toString(8)})`,
      );
    }
    if (path.dirname(dir) === dir) return;
  }
}

/**
 * Empties the drill's data directory for a second restore (the first restored another backup),
 * as the cluster's OS user: the folder stays, 0700 and that user's, as
 * {@link createScratchDirs} made it.
 */
export async function recreateDataDir(config: AgentConfig, paths: DrillPaths): Promise<void> {
  await emptyAsClusterUser(config, [paths.data], 'restore');
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

/**
 * Deletes a drill's folder, but only one that carries the drill marker, without root ever
 * deleting inside a folder another user can write: the folders of the cluster's OS user are
 * emptied by that user, then removed (they are entries of the agent's own folder); only the
 * agent's own entries (the marker, pg_hba.conf, the attached files restic restored) are deleted
 * as root. A folder left by an older agent, which handed the whole drill folder to the
 * cluster's OS user, is first taken back (chown to the agent, 0711).
 */
export async function removeScratchDir(config: AgentConfig, root: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(root);
  } catch {
    return;
  }
  const marker = (() => {
    try {
      return fs.lstatSync(path.join(root, SCRATCH_MARKER)).isFile();
    } catch {
      return false;
    }
  })();
  if (!st.isDirectory() || !marker) {
    throw new AgentError('cleanup', `${root} is not a drill folder; not deleted`);
  }
  const me = agentOwner();
  const cluster = clusterOwner(config);
  if (st.uid !== me.uid) fs.lchownSync(root, me.uid, me.gid);
  fs.chmodSync(root, 0o711);
  const theirs: string[] = [];
  for (const name of fs.readdirSync(root)) {
    // The marker goes last: postgres can make emptying its folders fail (a folder swapped for
    // a symlink while `find` deletes in it), and a folder that lost its marker could never be
    // dropped or swept again (seen in test/integration/restore-privilege.test.ts).
    if (name === SCRATCH_MARKER) continue;
    const entry = path.join(root, name);
    const est = fs.lstatSync(entry);
    if (est.isDirectory() && est.uid !== me.uid) {
      if (est.uid !== cluster.uid) {
        throw new AgentError('cleanup', `${entry} belongs to uid ${est.uid}; not deleted`);
      }
      theirs.push(entry);
    } else {
      // The agent's own entries, and a file or symlink of the other user (unlinked, never
      // followed).
      fs.rmSync(entry, { recursive: true, force: true });
    }
  }
  await emptyAsClusterUser(config, theirs, 'cleanup');
  for (const dir of theirs) fs.rmdirSync(dir);
  fs.rmSync(path.join(root, SCRATCH_MARKER), { force: true });
  fs.rmdirSync(root);
  // A deep scratch root keeps the socket folder in /tmp (see socketFolder).
  await removeSocketFolder(config, root);
}

/** Removes a drill's socket folder in /tmp (see socketFolder), as its owner. */
async function removeSocketFolder(config: AgentConfig, root: string): Promise<void> {
  const socket = socketFolder(root);
  if (path.dirname(socket) === root) return;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(socket);
  } catch {
    return;
  }
  if (st.isDirectory() && st.uid === clusterOwner(config).uid && st.uid !== agentOwner().uid) {
    // /tmp is sticky: the owner may delete its own entry there.
    await runTool('rm', ['-rf', '--', socket], {
      runAs: config.pg.osUser,
      step: 'cleanup',
      timeoutMs: 60_000,
    });
  } else if (st.uid === agentOwner().uid) {
    fs.rmSync(socket, { recursive: true, force: true });
  }
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
    if (!name.startsWith('drill-')) continue;
    try {
      if (!fs.lstatSync(path.join(root, SCRATCH_MARKER)).isFile()) continue;
    } catch {
      continue;
    }
    log.warn(`drill: removing the leftover environment ${root}`);
    try {
      await stopScratchCluster(config, { root, data: path.join(root, 'data') });
      await removeScratchDir(config, root);
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
 * The port for the scratch cluster: the configured one, or a free one in the range, scanned from
 * a random place in it. Scanned from its start, two scratch clusters set up at the same moment
 * (a drill beside a scratch restore) both found the same first free port, and the second
 * PostgreSQL failed with "could not create any TCP/IP sockets" (clean-clone CI, gdpr-restores).
 * @throws AgentError when the configured port is taken or none in the range is free.
 */
export async function pickDrillPort(configured: number): Promise<number> {
  if (configured > 0) {
    if (await portIsFree(configured)) return configured;
    throw new AgentError('start', `drill.port ${configured} is in use on 127.0.0.1`);
  }
  const span = LAST_DRILL_PORT - FIRST_DRILL_PORT + 1;
  const start = randomInt(span);
  for (let i = 0; i < span; i++) {
    const port = FIRST_DRILL_PORT + ((start + i) % span);
    if (await portIsFree(port)) return port;
  }
  throw new AgentError(
    'start',
    `no free port for the scratch cluster in ${FIRST_DRILL_PORT}-${LAST_DRILL_PORT}`,
  );
}
