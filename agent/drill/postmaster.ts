import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { readNoFollow } from '../runtime/no-follow';
import { agentOwner, clusterOwner } from './cluster-user';
import { SCRATCH_MARKER } from './scratch-paths';

// The scratch cluster's postmaster, found without trusting postmaster.pid: that file is in the
// data directory, which its OS user (so any database superuser) can rewrite to name any process
// on the server. A pid from it is only used once /proc says it is this drill's postmaster: run
// by the cluster's OS user, the PostgreSQL binary started with `-D <this data directory>`, and
// started after the drill made its folder (DESIGN.md §6).

/** The bits of a drill folder the postmaster lookup needs. */
export interface ScratchCluster {
  /** The drill's folder (holds the marker written when it was made). */
  root: string;
  data: string;
}

/** What /proc says about a process. */
interface ProcessFacts {
  /** Real, effective, saved and file-system uid. */
  uids: number[];
  argv: string[];
  startedAtMs: number;
}

/** /proc reports process start times in USER_HZ, 100 on every Linux architecture we run on. */
const USER_HZ = 100;
/** Slack for the start-time comparison: btime is whole seconds, clocks get adjusted. */
const START_SLACK_MS = 5_000;

let bootTimeMs: number | undefined;

function bootTime(): number {
  if (bootTimeMs === undefined) {
    const match = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    bootTimeMs = Number(match?.[1] ?? 0) * 1000;
  }
  return bootTimeMs;
}

/** /proc/<pid>'s uids, command line and start time; null when it is gone or unreadable. */
function processFacts(pid: number): ProcessFacts | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(status);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')'
    // start with field 3; the start time is field 22.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    if (!uids || !Number.isFinite(ticks)) return null;
    return {
      uids: uids.slice(1, 5).map(Number),
      argv,
      startedAtMs: bootTime() + (ticks * 1000) / USER_HZ,
    };
  } catch {
    return null;
  }
}

/** True when `file` is the server's PostgreSQL binary (pg_ctl runs it by its full path). */
function isPostgresBinary(config: AgentConfig, file: string): boolean {
  const binary = path.join(config.pg.binDirectory, 'postgres');
  if (file === binary) return true;
  try {
    return path.isAbsolute(file) && fs.realpathSync(file) === fs.realpathSync(binary);
  } catch {
    return false;
  }
}

/** When the drill made its folder (its marker's mtime: root's file in root's folder), or null. */
function folderMadeAt(cluster: ScratchCluster): number | null {
  try {
    const st = fs.lstatSync(path.join(cluster.root, SCRATCH_MARKER));
    return st.isFile() && st.uid === agentOwner().uid ? st.mtimeMs : null;
  } catch {
    return null;
  }
}

/**
 * True when `pid` is the postmaster of `cluster`: every uid is the cluster's OS user's, its
 * command line is `<binDirectory>/postgres … -D <data> …`, and it started after the drill
 * made its folder.
 */
export function isScratchPostmaster(
  config: AgentConfig,
  cluster: ScratchCluster,
  pid: number,
): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  const madeAt = folderMadeAt(cluster);
  const facts = processFacts(pid);
  if (madeAt === null || !facts) return false;
  const { uid } = clusterOwner(config);
  if (!facts.uids.every((u) => u === uid)) return false;
  if (!isPostgresBinary(config, facts.argv[0] ?? '')) return false;
  const d = facts.argv.indexOf('-D');
  if (d < 0 || path.resolve(facts.argv[d + 1] ?? '') !== path.resolve(cluster.data)) return false;
  return facts.startedAtMs >= madeAt - START_SLACK_MS;
}

/** The pid on postmaster.pid's first line (digits only), or undefined. */
export function postmasterPidFromFile(config: AgentConfig, dataDir: string): number | undefined {
  let text: string | null;
  try {
    text = readNoFollow(
      path.join(dataDir, 'postmaster.pid'),
      [clusterOwner(config).uid, agentOwner().uid],
      'postmaster.pid',
      64 * 1024,
    );
  } catch {
    return undefined;
  }
  const line = text?.split('\n')[0]?.trim() ?? '';
  return /^\d{1,10}$/.test(line) ? Number(line) : undefined;
}

/**
 * The running postmaster of `cluster`: the pid postmaster.pid names when it checks out (see
 * {@link isScratchPostmaster}), else (the file is gone or was rewritten) the one process on
 * the server that checks out; undefined when none runs.
 */
export function findScratchPostmaster(
  config: AgentConfig,
  cluster: ScratchCluster,
): number | undefined {
  const named = postmasterPidFromFile(config, cluster.data);
  if (named !== undefined && isScratchPostmaster(config, cluster, named)) return named;
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return undefined;
  }
  const { uid } = clusterOwner(config);
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      // Cheap first look (the owner of /proc/<pid>) before reading the process's files.
      if (fs.statSync(`/proc/${name}`).uid !== uid) continue;
    } catch {
      continue;
    }
    if (isScratchPostmaster(config, cluster, pid)) return pid;
  }
  return undefined;
}

/**
 * Sends `signal` to `pid` only if it still is the postmaster of `cluster` (checked right
 * before); false when it is not (or gone).
 */
export function signalScratchPostmaster(
  config: AgentConfig,
  cluster: ScratchCluster,
  pid: number,
  signal: NodeJS.Signals,
): boolean {
  if (!isScratchPostmaster(config, cluster, pid)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
