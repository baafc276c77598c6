import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { clusterOwner } from '../drill/cluster-user';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';

// Root never writes inside a folder another user can change (DESIGN.md §6): a rebuild creates
// the folders a data directory or attached files go into, and moves them there, only along a
// path of real folders that only root can change (a sticky folder such as /tmp counts: others
// cannot rename or replace what root made in it). Below a folder of the cluster's OS user
// (Debian's /var/lib/postgresql, which its package makes), that user makes the rest of the path
// and moves the data directory in: whatever it changes there, it acts with its own rights only.

const OTHERS_WRITE = 0o022;
const STICKY = 0o1000;

/**
 * Makes `dir` and every missing folder above it (root's, 0755) and checks every existing one is
 * a real folder root owns and alone can change. With `owner` 'cluster', the walk stops at the
 * first folder of the cluster's OS user that only it can change: root makes nothing below it
 * (the caller does that as the cluster's OS user).
 * @returns 'root' when `dir` is ready and root's; 'cluster' when the cluster's OS user owns a
 *   folder on the way (`dir` itself may be missing then).
 * @throws AgentError naming the folder that fails the rule.
 */
export function prepareParent(
  dir: string,
  owner: 'root' | 'cluster',
  clusterUid?: number,
): 'root' | 'cluster' {
  const parts = path.resolve(dir).split('/').filter(Boolean);
  let at = '/';
  for (const [i, part] of ['', ...parts].entries()) {
    at = i === 0 ? '/' : path.join(at, part);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(at);
    } catch {
      fs.mkdirSync(at, { mode: 0o755 });
      fs.chmodSync(at, 0o755);
      continue;
    }
    if (!st.isDirectory()) throw new AgentError('place', `${at} is not a folder (a link?)`);
    const last = i === parts.length;
    if (owner === 'cluster' && st.uid === clusterUid && (st.mode & OTHERS_WRITE) === 0) {
      return 'cluster';
    }
    const safe = st.uid === 0 && ((st.mode & OTHERS_WRITE) === 0 || (!last && st.mode & STICKY));
    if (!safe) {
      throw new AgentError(
        'place',
        `${at} can be changed by another user than root; choose a path below folders only root can change`,
      );
    }
  }
  return 'root';
}

/**
 * Moves folder `from` (the cluster's OS user's, in the agent's scratch folder) to `to`: a
 * rename by root when `to`'s parent is root's and on the same file system (else a copy by the
 * cluster's OS user into a new folder root hands to it). Below a folder of the cluster's OS
 * user, root only moves `from` into a hand-off folder of the scratch folder and gives that to
 * the user, who makes the missing folders and moves the data directory in with `mv` (a rename
 * on one file system, a copy across). A run that stopped after the hand-off goes on from there.
 */
export async function placeFolder(
  config: AgentConfig,
  from: string,
  to: string,
  what: string,
): Promise<void> {
  const cluster = clusterOwner(config);
  const handoff = path.join(path.dirname(from), 'handoff');
  const handedOff = path.join(handoff, path.basename(from));
  const asCluster = (step: string, command: string, args: string[]) =>
    runTool(command, args, { runAs: config.pg.osUser, step, timeoutMs: 6 * 3_600_000 });
  if (!isDirectory(from) && isDirectory(handedOff)) {
    await asCluster(`move ${what}`, 'mv', ['-T', '--', handedOff, to]);
    return;
  }
  const parent = prepareParent(path.dirname(to), 'cluster', cluster.uid);
  if (parent === 'root') {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
    fs.mkdirSync(to, { mode: 0o700 });
    fs.lchownSync(to, cluster.uid, cluster.gid);
    await asCluster(`copy ${what}`, 'cp', ['-a', '--', `${from}/.`, `${to}/`]);
    return;
  }
  // Root's own folder until `from` is in it; only then the user's (no moment in which the user
  // could put something where root renames to).
  fs.mkdirSync(handoff, { mode: 0o700 });
  fs.renameSync(from, handedOff);
  fs.lchownSync(handoff, cluster.uid, cluster.gid);
  await asCluster(`create the folder of ${what}`, 'mkdir', ['-p', '--', path.dirname(to)]);
  await asCluster(`move ${what}`, 'mv', ['-T', '--', handedOff, to]);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}
