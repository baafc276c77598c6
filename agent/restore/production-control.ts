import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { parseControlData, scratchSettings } from '../../shared/restore/scratch-settings';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';
import { readNoFollow } from '../runtime/no-follow';
import { clusterOwner } from '../drill/cluster-user';
import { postmasterPidFromFile } from '../drill/postmaster';
import { pgBin } from '../drill/scratch-cluster';

// Production's PostgreSQL as a restore over it sees it: read how it runs (so it is started the
// same way afterwards), stopped, started privately for the recovery, and started as before.
// Everything that touches its data directory runs as its OS user.

/** How production's PostgreSQL runs, read before it is stopped. */
export interface ProductionControl {
  /** A Debian cluster under systemd is stopped and started by pg_ctlcluster, else by pg_ctl. */
  manager: { kind: 'systemd'; version: string; name: string } | { kind: 'pg_ctl' };
  /** The postmaster's options from postmaster.opts: what `pg_ctl restart` would reuse. */
  options: string;
  /** The regular file the running postmaster writes its stderr to, or /dev/null. */
  logFile: string;
  /** pg_control's system identifier: the same after the restore, or it is another cluster. */
  systemIdentifier: string | null;
}

/** The options part of postmaster.opts (after the program), split the way pg_ctl does. */
export function postmasterOptions(line: string): string {
  const first = line.indexOf(' "');
  return first < 0 ? '' : line.slice(first + 1).trim();
}

/** The Debian cluster (`pg_lsclusters -h` columns) whose data directory is `dataDirectory`. */
export function debianCluster(
  listing: string,
  dataDirectory: string,
): { version: string; name: string } | null {
  for (const line of listing.split('\n')) {
    const [version, name, , , , data] = line.trim().split(/\s+/);
    if (version && name && data === dataDirectory) return { version, name };
  }
  return null;
}

const run = (
  config: AgentConfig,
  file: string,
  args: string[],
  step: string,
  options: { asUser?: boolean; check?: boolean; signal?: AbortSignal } = {},
) =>
  runTool(file, args, {
    runAs: options.asUser === false ? undefined : config.pg.osUser,
    step,
    check: options.check ?? true,
    signal: options.signal,
    timeoutMs: 300_000,
  });

/** True when production accepts connections on its socket and port. */
export async function productionAnswers(config: AgentConfig): Promise<boolean> {
  const ready = await run(
    config,
    pgBin(config, 'pg_isready'),
    ['-q', '-h', config.pg.socketDirectory, '-p', String(config.pg.port), '-t', '5'],
    'pg_isready',
    { check: false },
  );
  return ready.code === 0;
}

/**
 * Reads how production runs (changes nothing).
 * @throws AgentError when it does not answer (no safety snapshot could be taken) or its
 *   postmaster.opts is missing (it could not be started the same way).
 */
export async function readProductionControl(
  config: AgentConfig,
  signal?: AbortSignal,
): Promise<ProductionControl> {
  const data = config.pg.dataDirectory;
  if (!(await productionAnswers(config))) {
    throw new AgentError(
      'plan',
      `PostgreSQL does not accept connections on port ${config.pg.port}: no safety snapshot can be taken, so nothing was changed`,
    );
  }
  const owner = [clusterOwner(config).uid];
  const opts = readNoFollow(path.join(data, 'postmaster.opts'), owner, 'plan') ?? '';
  const options = postmasterOptions(opts.split('\n')[0] ?? '');
  if (!options) {
    throw new AgentError(
      'plan',
      `${data}/postmaster.opts is missing: PostgreSQL could not be started the way it runs now, so nothing was changed`,
    );
  }
  let manager: ProductionControl['manager'] = { kind: 'pg_ctl' };
  if (fs.existsSync('/run/systemd/system')) {
    const listing = await runTool('pg_lsclusters', ['-h'], {
      step: 'pg_lsclusters',
      check: false,
      signal,
      timeoutMs: 60_000,
    }).catch(() => null);
    const found = listing?.code === 0 ? debianCluster(listing.stdout, data) : null;
    if (found) manager = { kind: 'systemd', ...found };
  }
  const control = await run(config, pgBin(config, 'pg_controldata'), [data], 'pg_controldata', {
    signal,
  });
  return {
    manager,
    options,
    logFile: postmasterLogFile(config),
    systemIdentifier: parseControlData(control.stdout).get('Database system identifier') ?? null,
  };
}

/**
 * Where the running postmaster writes its stderr (its fd 2): a start after the restore writes
 * there again. The pid comes from postmaster.pid, which the cluster's OS user can rewrite, so
 * only a process of that user counts, and only a regular file (or /dev/null) is taken; otherwise
 * `<data>/log/postgresql-restart.log`.
 */
function postmasterLogFile(config: AgentConfig): string {
  const fallback = path.join(config.pg.dataDirectory, 'log', 'postgresql-restart.log');
  const pid = postmasterPidFromFile(config, config.pg.dataDirectory);
  if (pid === undefined) return fallback;
  try {
    if (fs.statSync(`/proc/${pid}`).uid !== clusterOwner(config).uid) return fallback;
    const target = fs.readlinkSync(`/proc/${pid}/fd/2`);
    if (target === '/dev/null') return target;
    if (path.isAbsolute(target) && fs.statSync(target).isFile()) return target;
  } catch {
    // Gone, or not readable: the fallback.
  }
  return fallback;
}

/** `pg_ctl stop` (fast) as the cluster's OS user; fails when the postmaster is still there. */
async function pgCtlStop(config: AgentConfig, data: string, step: string): Promise<void> {
  if (postmasterPidFromFile(config, data) !== undefined) {
    // Fails on a cluster that is already down (systemd stopped it): the check below decides.
    await run(
      config,
      pgBin(config, 'pg_ctl'),
      ['-D', data, '-m', 'fast', '-w', '-t', '120', 'stop'],
      step,
      {
        check: false,
      },
    );
  }
  const pid = postmasterPidFromFile(config, data);
  if (pid !== undefined && processRuns(pid)) {
    throw new AgentError(step, 'the postmaster did not stop');
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops production the way it is managed (pg_ctlcluster through systemd, else pg_ctl, fast
 * shutdown: sessions are disconnected). Takes no abort signal: a stop is not cut short.
 */
export async function stopProduction(
  config: AgentConfig,
  control: ProductionControl,
): Promise<void> {
  if (control.manager.kind === 'systemd') {
    await runTool('pg_ctlcluster', [control.manager.version, control.manager.name, 'stop'], {
      step: 'stop PostgreSQL',
      timeoutMs: 300_000,
    });
  }
  // Under systemd this only confirms the postmaster is gone.
  await pgCtlStop(config, config.pg.dataDirectory, 'stop PostgreSQL');
}

// The log settings of a scratch cluster: one file, in English and UTC, with replay progress and
// hot standby, because the same watcher and log reader follow this recovery.
const RECOVERY_LOG_SETTINGS = [
  'logging_collector',
  'log_destination',
  'lc_messages',
  'log_timezone',
  'log_min_messages',
  'log_startup_progress_interval',
  'hot_standby',
] as const;

/**
 * The private start's settings: only the agent can connect (no TCP, a socket in the restore's
 * folder) and the log is the scratch clusters'. archive_mode stays as configured: production
 * archives its new timeline (unlike a scratch cluster, DESIGN.md §7).
 */
export function privateSettings(socket: string, port: number): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(socket)) {
    throw new AgentError('replay', `unusable socket folder ${socket}`);
  }
  const scratch = scratchSettings({
    port,
    socketDirectory: socket,
    clusterName: 'kumiko-production-restore',
    hbaFile: '',
    controlData: new Map(),
  });
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: socket,
  };
  for (const name of RECOVERY_LOG_SETTINGS) settings[name] = scratch[name] ?? '';
  return Object.entries(settings)
    .map(([name, value]) => `"-c" "${name}=${value}"`)
    .join(' ');
}

/**
 * Starts the restored production cluster privately, without waiting: recovery is watched with
 * progress (waitForPromotion). pg_ctl puts the options through a shell, as `pg_ctl restart`
 * does with the same postmaster.opts text.
 */
export async function startPrivately(
  config: AgentConfig,
  control: ProductionControl,
  paths: { data: string; socket: string; log: string },
  recovery: Record<string, string> = {},
): Promise<void> {
  // Recovery stops (scratch-configure.ts stopSettings) on the command line, which outranks
  // pgBackRest's postgresql.auto.conf; the values go through pg_ctl's shell, so only plain ones.
  const stops = Object.entries(recovery).map(([name, value]) => {
    if (!/^[a-z_]+$/.test(name) || !/^[A-Za-z0-9_./-]*$/.test(value)) {
      throw new AgentError('replay', `unusable recovery setting ${name}`);
    }
    return ` "-c" "${name}=${value}"`;
  });
  await run(
    config,
    pgBin(config, 'pg_ctl'),
    [
      '-D',
      paths.data,
      '-l',
      paths.log,
      '-o',
      `${control.options} ${privateSettings(paths.socket, config.pg.port)}${stops.join('')}`,
      '-W',
      'start',
    ],
    'start PostgreSQL for recovery',
  );
}

/** Stops the private start (after verification, or when it failed). */
export function stopPrivately(config: AgentConfig, data: string): Promise<void> {
  return pgCtlStop(config, data, 'stop the recovery start');
}

/**
 * Starts production as it ran before (systemd's unit, or pg_ctl with the postmaster's original
 * options and the log file it wrote to) and waits until it accepts connections.
 */
export async function startAsBefore(
  config: AgentConfig,
  control: ProductionControl,
): Promise<void> {
  const data = config.pg.dataDirectory;
  if (control.manager.kind === 'systemd') {
    await runTool('pg_ctlcluster', [control.manager.version, control.manager.name, 'start'], {
      step: 'start PostgreSQL',
      timeoutMs: 300_000,
    });
  } else {
    if (control.logFile === path.join(data, 'log', 'postgresql-restart.log')) {
      await run(config, 'mkdir', ['-p', path.dirname(control.logFile)], 'start PostgreSQL');
    }
    await run(
      config,
      pgBin(config, 'pg_ctl'),
      ['-D', data, '-l', control.logFile, '-o', control.options, '-w', '-t', '120', 'start'],
      'start PostgreSQL',
    );
  }
  const ready = await run(
    config,
    pgBin(config, 'pg_isready'),
    ['-q', '-h', config.pg.socketDirectory, '-p', String(config.pg.port), '-t', '60'],
    'start PostgreSQL',
    { check: false },
  );
  if (ready.code !== 0)
    throw new AgentError(
      'start PostgreSQL',
      'PostgreSQL does not accept connections after its start',
    );
}
