import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { ScratchId, type AgentScratchEntry } from '../../shared/agent/restore';
import { folderUsage } from '../heartbeat/local-facts';
import { AgentError } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { agentOwner, clusterOwner } from '../drill/cluster-user';
import { findScratchPostmaster } from '../drill/postmaster';
import { SCRATCH_MARKER } from '../drill/scratch-paths';
import { removeEnvironment } from '../drill/start-phase';
import { restorePaths, restoreScratchRoot } from './restore-paths';

// The scratch environments the app's restores leave for the admin: listed and dropped by the
// agent (`scratch-list`, `scratch-drop`), never by shell scripts of the app.

/** The environments under the restore scratch root that carry the scratch marker. */
export function listScratch(config: AgentConfig): AgentScratchEntry[] {
  const root = restoreScratchRoot(config);
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const entries: AgentScratchEntry[] = [];
  for (const name of names.sort()) {
    if (!ScratchId.safeParse(name).success) continue;
    const paths = restorePaths(config, name);
    try {
      if (!fs.lstatSync(path.join(paths.root, SCRATCH_MARKER)).isFile()) continue;
    } catch {
      continue;
    }
    entries.push({
      id: name,
      sizeBytes: folderUsage(paths.root).bytes,
      running: findScratchPostmaster(config, paths) !== undefined,
    });
  }
  return entries;
}

/**
 * Stops environment `id`'s cluster and what still runs for it (pgBackRest's asynchronous
 * archive-get, restic), then deletes its folder (scratch-env.ts removeScratchDir: only a folder
 * with the marker, the cluster user's parts emptied as that user). Dropping one that is gone
 * is fine (the app's sweep may ask twice).
 * @throws AgentError for an id that is no UUID, or when something could not be removed.
 */
export async function dropScratch(config: AgentConfig, id: string, log: Logger): Promise<boolean> {
  if (!ScratchId.safeParse(id).success) {
    throw new AgentError('scratch-drop', `"${id.slice(0, 80)}" is no scratch environment id`);
  }
  const paths = restorePaths(config, id);
  if (!fs.existsSync(paths.root)) return false;
  await stopStragglers(config, paths.root);
  if (!(await removeEnvironment(config, paths, log))) {
    throw new AgentError(
      'scratch-drop',
      `${paths.root} could not be removed completely (see the agent log)`,
    );
  }
  return true;
}

/**
 * Stops the helpers still running for the environment under `root`: found by the folder in
 * their command line (`--pg1-path=<root>/data`, `--spool-path=<root>/…`, restic's
 * `--target <root>/files`), a path with the environment's UUID in it, and only processes of the
 * cluster's OS user or the agent's own user. restic gets SIGINT, the one signal on which it
 * removes its lock from the repository; everything else SIGTERM.
 */
export async function stopStragglers(config: AgentConfig, root: string): Promise<void> {
  const owners = new Set([clusterOwner(config).uid, agentOwner().uid]);
  const needle = `${root}/`;
  let signalled = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const st = fs.statSync(`/proc/${entry}`);
      if (!owners.has(st.uid)) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (!cmdline.includes(needle)) continue;
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      // The scratch postmaster and its children are pg_ctl's to stop (stopScratchCluster).
      if (comm === 'postgres' || comm === 'postmaster') continue;
      process.kill(pid, comm === 'restic' ? 'SIGINT' : 'SIGTERM');
      signalled++;
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  if (signalled) await new Promise((r) => setTimeout(r, 1000));
}
