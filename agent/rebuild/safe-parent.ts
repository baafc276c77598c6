import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { clusterOwner } from '../drill/cluster-user';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';

// Root never writes inside a folder another user can change (DESIGN.md §6): a rebuild creates
// the folders a data directory or attached files go into, and moves them there, only along a
// path of real folders that only root can change (a sticky folder such as /tmp counts: others
// cannot rename or replace what root made in it). A data directory whose parent belongs to the
// cluster's OS user (Debian's /var/lib/postgresql) is copied in by that user instead.

const OTHERS_WRITE = 0o022;
const STICKY = 0o1000;

/**
 * Makes `dir` and every missing folder above it (root's, 0755) and checks every existing one is
 * a real folder root owns; `dir` itself must be writable by root alone, or, with `owner`
 * 'cluster', may be the cluster's OS user's.
 * @returns who owns `dir`.
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
    if (last && owner === 'cluster' && st.uid === clusterUid && (st.mode & OTHERS_WRITE) === 0) {
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
 * rename by root when `to`'s parent is root's and on the same file system, else a copy made by
 * the cluster's OS user into a new folder handed to it (the scratch copy is removed with the
 * scratch folder afterwards).
 */
export async function placeFolder(
  config: AgentConfig,
  from: string,
  to: string,
  what: string,
): Promise<void> {
  const cluster = clusterOwner(config);
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
  } else {
    await runTool('mkdir', ['-m', '700', '--', to], {
      runAs: config.pg.osUser,
      step: `create ${what}`,
      timeoutMs: 60_000,
    });
  }
  await runTool('cp', ['-a', '--', `${from}/.`, `${to}/`], {
    runAs: config.pg.osUser,
    step: `copy ${what}`,
    timeoutMs: 6 * 3_600_000,
  });
}
