import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { AgentPlaceSpec, type AgentPlaceResult } from '../../shared/agent/rebuild';
import { rewriteAutoConf } from '../../shared/restore/scratch-settings';
import { clusterOwner, writeAsClusterUser } from '../drill/cluster-user';
import { pgBin, postmasterStatus, stopScratchCluster } from '../drill/scratch-cluster';
import { removeScratchDir } from '../drill/scratch-env';
import { SCRATCH_MARKER } from '../drill/scratch-paths';
import { psqlQuery } from '../engines/psql';
import { restorePaths } from '../restore/restore-paths';
import type { AgentContext } from '../runtime/context';
import { AgentError } from '../runtime/errors';
import { runTool } from '../runtime/exec';
import { readNoFollow } from '../runtime/no-follow';
import { parseSpecArg } from '../runtime/spec-arg';
import { placeFolder, prepareParent } from './safe-parent';

/** The `--spec` of `rebuild-place`, validated before anything happens. */
export function parsePlaceSpec(text: string | undefined): ReturnType<typeof AgentPlaceSpec.parse> {
  return parseSpecArg(AgentPlaceSpec, text, 'a valid rebuild spec');
}

/**
 * `kumiko-agent rebuild-place`: the verified scratch environment `spec.id` becomes the host's
 * cluster. Its postmaster is stopped, the data directory moved to `spec.dataDirectory` (renamed
 * by root into a folder only root can change, or copied by the cluster's OS user into one that
 * user owns: DESIGN.md §6), its scratch settings replaced by a normal cluster's (port, socket,
 * pg_hba.conf in the data directory, never archiving until the agent install sets archiving up),
 * the attached files moved to their paths, and the cluster started by pg_ctl as its OS user.
 * Run again after a dropped connection, it finds the data directory already moved and only
 * configures and starts what is there: nothing is restored twice.
 */
export async function placeRebuiltCluster(
  ctx: AgentContext,
  spec: ReturnType<typeof AgentPlaceSpec.parse>,
): Promise<AgentPlaceResult> {
  const { config, log } = ctx;
  const paths = restorePaths(config, spec.id);
  const target = path.resolve(spec.dataDirectory);
  const owner = clusterOwner(config);
  const scratchThere = isFile(path.join(paths.root, SCRATCH_MARKER));
  const alreadyPlaced = isFile(path.join(target, 'PG_VERSION'));
  if (!scratchThere && !alreadyPlaced) {
    throw new AgentError(
      'place',
      `there is no verified restore ${spec.id} on this host and nothing at ${target}: restore again`,
    );
  }
  const resumed = alreadyPlaced && !isDir(paths.data);
  const timings: string[] = [];
  let mark = Date.now();
  const took = (step: string): void => {
    timings.push(`${step} ${((Date.now() - mark) / 1000).toFixed(2)}`);
    mark = Date.now();
  };
  if (!resumed) {
    if (exists(target)) {
      throw new AgentError(
        'place',
        `${target} already exists; the rebuild never overwrites a data directory: name a new one`,
      );
    }
    await stopScratchCluster(config, paths);
    took('scratch cluster stopped');
    await placeFolder(config, paths.data, target, 'the data directory');
    took('data directory moved');
  }
  const files: string[] = [];
  if (scratchThere && spec.files) {
    for (const original of spec.files.paths) {
      const from = path.join(paths.files, original);
      if (!exists(from)) continue;
      const to = path.join(spec.files.root, original);
      if (exists(to)) throw new AgentError('place', `${to} already exists; not overwritten`);
      // restic restored them as root with their owners: root moves them, never into a folder
      // another user could change.
      prepareParent(path.dirname(to), 'root');
      fs.renameSync(from, to);
      files.push(to);
    }
  }
  await configure(config, target, spec, owner.uid);
  took('files moved, configured');
  const cluster = clusterConfig(config, target, spec.port, spec.socketDirectory);
  if (postmasterStatus(target) !== 'ready' || !(await accepts(cluster))) {
    await start(cluster, target);
  }
  const inRecovery = await psqlQuery(cluster, 'SELECT pg_is_in_recovery()', 'check the cluster');
  if (inRecovery !== 'f') throw new AgentError('place', 'the cluster is still in recovery');
  took('started');
  if (scratchThere) await removeScratchDir(config, paths.root);
  took('scratch folder removed');
  log.info(`rebuild ${spec.id}: place steps (s): ${timings.join(', ')}`);
  log.info(`rebuild ${spec.id}: the cluster runs at ${target} on port ${spec.port}`);
  return {
    dataDirectory: target,
    port: spec.port,
    socketDirectory: spec.socketDirectory,
    service: 'pg_ctl',
    files,
    resumed,
  };
}

/** The agent's config pointed at the placed cluster (psql connects through its socket). */
function clusterConfig(
  config: AgentConfig,
  dataDirectory: string,
  port: number,
  socketDirectory: string,
): AgentConfig {
  return { ...config, pg: { ...config.pg, dataDirectory, port, socketDirectory } };
}

/**
 * A normal cluster's settings over the scratch ones (written last in postgresql.auto.conf, so
 * they win), and a pg_hba.conf in the data directory: the OS user by peer first (the agent
 * and the app's checks connect that way), then the rules the backup had, or local defaults.
 * Written by the cluster's OS user, as everything inside the data directory.
 */
async function configure(
  config: AgentConfig,
  data: string,
  spec: ReturnType<typeof AgentPlaceSpec.parse>,
  uid: number,
): Promise<void> {
  const socket = spec.socketDirectory;
  if (!exists(socket)) {
    prepareParent(path.dirname(socket), 'root');
    fs.mkdirSync(socket, { mode: 0o2775 });
    const owner = clusterOwner({ ...config, pg: { ...config.pg, dataDirectory: data } });
    fs.lchownSync(socket, owner.uid, owner.gid);
  }
  const hbaFile = path.join(data, 'pg_hba.conf');
  const restoredHba = readNoFollow(hbaFile, [uid], 'place');
  const ownLine = `local all ${config.pg.osUser} peer`;
  const rest = restoredHba?.includes(ownLine)
    ? restoredHba
    : `# Written by Kumiko Recovery when this cluster was rebuilt.\n${ownLine}\n${
        restoredHba ??
        'local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n'
      }`;
  await writeAsClusterUser(config, hbaFile, rest, 'configure the rebuilt cluster');
  const autoConf = path.join(data, 'postgresql.auto.conf');
  const current = readNoFollow(autoConf, [uid], 'place') ?? '';
  const settings: Record<string, string> = {
    port: String(spec.port),
    listen_addresses: spec.listenAddresses,
    unix_socket_directories: socket,
    cluster_name: '',
    hba_file: hbaFile,
    // The agent install turns archiving on into the new host's own repository.
    archive_mode: 'off',
    archive_command: '',
    restore_command: '',
    recovery_target: '',
    recovery_target_time: '',
    recovery_target_lsn: '',
    // PostgreSQL's log under the data directory, kept by the logging collector.
    logging_collector: 'on',
    log_destination: 'stderr',
  };
  await writeAsClusterUser(
    config,
    autoConf,
    rewriteAutoConf(current, settings, 'Rebuilt by Kumiko Recovery: a normal cluster again'),
    'configure the rebuilt cluster',
  );
}

async function accepts(cluster: AgentConfig): Promise<boolean> {
  const ready = await runTool(
    pgBin(cluster, 'pg_isready'),
    ['-h', cluster.pg.socketDirectory, '-p', String(cluster.pg.port), '-t', '5'],
    { runAs: cluster.pg.osUser, step: 'pg_isready', check: false, timeoutMs: 30_000 },
  );
  return ready.code === 0;
}

async function start(cluster: AgentConfig, data: string): Promise<void> {
  await runTool(
    pgBin(cluster, 'pg_ctl'),
    ['-D', data, '-l', path.join(data, 'startup.log'), '-w', '-t', '600', 'start'],
    { runAs: cluster.pg.osUser, step: 'start the rebuilt cluster', timeoutMs: 660_000 },
  );
  for (let i = 0; i < 600 && !(await accepts(cluster)); i++) {
    await new Promise((r) => setTimeout(r, 500));
  }
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function isDir(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}
