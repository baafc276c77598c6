import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AgentConfig } from '../../shared/agent/config';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';

// What a drill does inside the folders that belong to the cluster's OS user (the restored data
// directory, the WAL staging, pgBackRest's lock, log and spool folders) runs as that user, never
// as root: postgres (and so any database superuser) can put a symlink anywhere in them, and
// whatever root wrote, chowned or deleted there would land where the symlink points
// (DESIGN.md §6). One `runuser` costs ~10 ms.

/**
 * Owner of the production cluster's files, i.e. its OS user's uid and gid (read from the data
 * directory rather than /etc/passwd, which misses users from LDAP and the like). When the agent
 * is not root, its tools run as itself, and so do its folders.
 */
export function clusterOwner(config: AgentConfig): { uid: number; gid: number } {
  if (process.getuid?.() !== 0)
    return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  try {
    const stat = fs.statSync(config.pg.dataDirectory);
    return { uid: stat.uid, gid: stat.gid };
  } catch (error) {
    // A host that only receives restores may run no cluster, or the one seen when it was
    // connected is gone: the OS user's ids come from the user database then (id asks NSS,
    // so LDAP users are found too).
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return osUserIds(config.pg.osUser);
  }
}

/** uid and gid of an OS user by name, through `id` (NSS); refuses names no user could have. */
function osUserIds(user: string): { uid: number; gid: number } {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(user)) {
    throw new AgentError('prepare', `"${user}" is no OS user name`);
  }
  const id = (flag: string): number => {
    const out = execFileSync('id', [flag, user], { encoding: 'utf8' }).trim();
    if (!/^\d+$/.test(out)) throw new AgentError('prepare', `id ${flag} ${user} printed "${out}"`);
    return Number(out);
  };
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw new AgentError('prepare', `the OS user ${user} does not exist on this host`);
  }
}

/** The agent's own uid and gid (root on a server). */
export const agentOwner = (): { uid: number; gid: number } => ({
  uid: process.getuid?.() ?? 0,
  gid: process.getgid?.() ?? 0,
});

/**
 * Writes `content` to `file` as the cluster's OS user (mode 0600 for a new file): the file may
 * be anything postgres put there, and postgres can only write what it could write anyway.
 * @throws AgentError naming `step` when the write fails.
 */
export async function writeAsClusterUser(
  config: AgentConfig,
  file: string,
  content: string,
  step: string,
  signal?: AbortSignal,
): Promise<void> {
  await runTool('/bin/sh', ['-c', 'umask 077 && cat > "$1"', 'sh', file], {
    runAs: config.pg.osUser,
    input: content,
    step,
    signal,
    timeoutMs: 60_000,
  });
}

/**
 * Deletes everything inside `dirs` (folders of the cluster's OS user, each an entry of a folder
 * only the agent can change) as that user, keeping the folders themselves. `find -P` follows no
 * symlink, and as postgres it could only delete what postgres may delete anyway.
 * @throws AgentError naming `step` when something could not be deleted.
 */
export async function emptyAsClusterUser(
  config: AgentConfig,
  dirs: readonly string[],
  step: string,
): Promise<void> {
  if (dirs.length === 0) return;
  const result = await runTool('find', ['-P', ...dirs, '-mindepth', '1', '-delete'], {
    runAs: config.pg.osUser,
    step,
    check: false,
    timeoutMs: 600_000,
  });
  if (result.code !== 0) {
    const why = result.stderr.trim().split('\n').slice(-2).join(' / ');
    throw new AgentError(step, `${config.pg.osUser} could not empty ${dirs.join(', ')}: ${why}`);
  }
}
